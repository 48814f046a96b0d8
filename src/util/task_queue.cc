#include "util/task_queue.h"

#include <algorithm>

namespace parkett::util {
namespace {

thread_local const TaskQueue* this_queue = nullptr;
thread_local size_t this_worker = 0;

}  // namespace

TaskQueue::TaskQueue(int workers) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { work(static_cast<size_t>(i) + 1); });
}

TaskQueue::~TaskQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : threads_) t.join();
  // Without workers (or if any were left), the queued tasks run here.
  for (; !tasks_.empty(); tasks_.pop_front()) tasks_.front()();
}

size_t TaskQueue::worker_index() const { return this_queue == this ? this_worker : 0; }

void TaskQueue::push(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  changed_.notify_all();
}

void TaskQueue::notify() {
  { std::lock_guard lock(mutex_); }  // orders the caller's change before the wake-up
  changed_.notify_all();
}

void TaskQueue::help_until(const std::function<bool()>& done) {
  std::unique_lock lock(mutex_);
  while (!tasks_.empty() || !done()) {
    if (tasks_.empty()) {
      changed_.wait(lock);
      continue;
    }
    run_next(lock);
  }
}

void TaskQueue::run_next(std::unique_lock<std::mutex>& lock) {
  std::function<void()> task = std::move(tasks_.front());
  tasks_.pop_front();
  lock.unlock();
  task();
  lock.lock();
}

void TaskQueue::work(size_t index) {
  this_queue = this;
  this_worker = index;
  std::unique_lock lock(mutex_);
  while (true) {
    if (tasks_.empty()) {
      if (stopping_) return;
      changed_.wait(lock);
      continue;
    }
    run_next(lock);
    // A finished task may be what a helping caller waits for.
    changed_.notify_all();
  }
}

TaskQueue& shared_task_queue() {
  static TaskQueue queue(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) - 1);
  return queue;
}

}  // namespace parkett::util

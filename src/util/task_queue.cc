#include "util/task_queue.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>

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

void run_tasks(size_t n, int threads, const std::function<void(size_t)>& task) {
  size_t workers = threads > 0 ? static_cast<size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, n);
  // Tasks are taken in order, so when one fails every earlier task has been taken and runs
  // to its end: the error kept is the first task's.
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  size_t error_task = SIZE_MAX;
  auto loop = [&] {
    for (size_t i; !failed.load() && (i = next.fetch_add(1)) < n;) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (i < error_task) {
          error = std::current_exception();
          error_task = i;
        }
        failed = true;
      }
    }
  };
  if (workers <= 1) {
    loop();
  } else {
    TaskQueue& queue = shared_task_queue();
    std::atomic<size_t> finished{0};
    for (size_t w = 1; w < workers; ++w) {
      queue.push([&] {
        loop();
        ++finished;  // the caller may return from here on: touch nothing of its stack below
        shared_task_queue().notify();
      });
    }
    loop();
    queue.help_until([&] { return finished.load() == workers - 1; });
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace parkett::util

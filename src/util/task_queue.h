// A first-in first-out queue of tasks run by a fixed set of background threads and by any
// caller that waits on it. The writer encodes row groups this way: the caller queues a row
// group's tasks, works on them too, and returns once none is left to start, so the next row
// group can be queued while the last tasks of this one still run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parkett::util {

class TaskQueue {
 public:
  /// Starts `workers` background threads (0: tasks only run on callers of help_until).
  explicit TaskQueue(int workers);
  /// Runs what is still queued, then stops the threads.
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  /// Queues a task. Tasks must not throw (they report failures themselves).
  void push(std::function<void()> task);
  /// Runs queued tasks on this thread until none is queued and `done()` holds; sleeps while
  /// nothing is queued.
  /// `done` is evaluated under the queue's lock: call notify() after changing what it reads.
  void help_until(const std::function<bool()>& done);
  /// Wakes waiting callers to evaluate their condition again.
  void notify();

  /// The index of the running thread: 1..workers for this queue's background threads, 0 for
  /// any other (one caller at a time).
  size_t worker_index() const;
  size_t num_workers() const { return threads_.size(); }

 private:
  void work(size_t index);
  // Runs the first queued task with the lock released; `lock` holds mutex_ before and after.
  void run_next(std::unique_lock<std::mutex>& lock);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// The process-wide queue that reads run on: one worker per core but one (the caller
/// helps), started on first use, so that a read starts no threads of its own.
TaskQueue& shared_task_queue();

/// Runs task(0) .. task(n - 1) on up to `threads` threads of the shared queue (0: one per
/// core), the caller being one of them, and returns when all have ended. Tasks are taken in
/// order; after a failure no new one starts, and the exception rethrown is that of the
/// first failed task in index order, whatever the threads' timing.
void run_tasks(size_t n, int threads, const std::function<void(size_t)>& task);

}  // namespace parkett::util

// The writer's task queue: every task runs exactly once, on a worker or a helping caller,
// each thread knows its index, and help_until returns only when nothing is queued and the
// condition holds.
#include "util/task_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace parkett::util {
namespace {

TEST(TaskQueue, EveryTaskRunsOnceWithWorkersAndHelpingCaller) {
  for (int workers : {0, 1, 3}) {
    TaskQueue q(workers);
    constexpr int kTasks = 2000;
    std::vector<std::atomic<int>> runs(kTasks);
    std::atomic<int> finished{0};
    std::mutex seen_mutex;
    std::set<size_t> indexes;
    for (int i = 0; i < kTasks; ++i) {
      q.push([&, i] {
        ++runs[static_cast<size_t>(i)];
        {
          std::lock_guard lock(seen_mutex);
          indexes.insert(q.worker_index());
        }
        ++finished;
      });
    }
    q.help_until([&] { return finished == kTasks; });
    EXPECT_EQ(finished, kTasks);
    for (const auto& r : runs) ASSERT_EQ(r, 1);
    EXPECT_TRUE(indexes.count(0) || workers > 0);  // the caller is index 0
    for (size_t i : indexes) EXPECT_LE(i, static_cast<size_t>(workers));
    EXPECT_EQ(q.num_workers(), static_cast<size_t>(workers));
  }
}

TEST(TaskQueue, IndexesBelongToOneQueue) {
  TaskQueue outer(2), inner(1);
  std::atomic<int> done{0};
  std::atomic<bool> wrong{false};
  for (int i = 0; i < 50; ++i) {
    outer.push([&] {
      // An outer worker (1 or 2; the helping caller is 0) is no worker of `inner`.
      if (inner.worker_index() != 0 || outer.worker_index() > 2) wrong = true;
      ++done;
    });
  }
  outer.help_until([&] { return done == 50; });
  EXPECT_FALSE(wrong);
}

TEST(TaskQueue, HelpUntilDrainsTheQueueEvenWhenTheConditionHolds) {
  TaskQueue q(0);
  int ran = 0;
  for (int i = 0; i < 10; ++i) q.push([&] { ++ran; });
  q.help_until([] { return true; });
  EXPECT_EQ(ran, 10);
}

TEST(TaskQueue, DestructorRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    TaskQueue q(2);
    for (int i = 0; i < 100; ++i) q.push([&] { ++ran; });
  }
  EXPECT_EQ(ran, 100);
}

}  // namespace
}  // namespace parkett::util

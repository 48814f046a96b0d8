#include "column/scratch_pool.h"

#include <mutex>
#include <thread>
#include <vector>

namespace parkett::column {
namespace {

// Idle scratches: at most one per core plus one is kept, the rest freed.
struct Pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<ChunkScratch>> idle;
  const size_t keep = std::max(1u, std::thread::hardware_concurrency()) + 1;
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: tasks may give back scratches during exit
  return *p;
}

}  // namespace

ScratchLease::ScratchLease() {
  Pool& p = pool();
  {
    std::lock_guard lock(p.mutex);
    if (!p.idle.empty()) {
      scratch_ = std::move(p.idle.back());
      p.idle.pop_back();
    }
  }
  if (!scratch_) scratch_ = std::make_unique<ChunkScratch>();
}

ScratchLease::~ScratchLease() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (p.idle.size() < p.keep) p.idle.push_back(std::move(scratch_));
}

}  // namespace parkett::column

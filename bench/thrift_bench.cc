// Micro-benchmarks of the Thrift compact protocol kernels.
#include <benchmark/benchmark.h>

#include "thrift/compact_protocol.h"

namespace {

void BM_VarintDecode(benchmark::State& state) {
  std::string buf;
  parkett::thrift::CompactWriter w(buf);
  for (int64_t i = 0; i < 4096; ++i) w.write_i64(i * 7919);
  for (auto _ : state) {
    parkett::thrift::CompactReader r(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
    int64_t sum = 0;
    while (r.remaining() > 0) sum += r.read_i64();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_VarintDecode);

}  // namespace

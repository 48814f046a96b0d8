// Markdown table of write-bench.sh output: each peer's time and file size, parkett's
// speed-up over it and its file size relative to the peer's.
// Usage: node write-table.mjs BENCH.jsonl
import fs from 'node:fs';
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l));
console.log('| write | threads | parkett s | parkett MB | peer | peer s | peer MB | parkett speed-up | parkett size / peer |');
console.log('|---|---|---|---|---|---|---|---|---|');
const mb = (b) => (b / 1e6).toFixed(1);
for (const p of lines.filter(l => l.peer === 'parkett')) {
  for (const o of lines.filter(l => l.peer !== 'parkett' && l.op === p.op && l.threads === p.threads)) {
    const peerSeconds = o.seconds_median;
    console.log(`| ${p.op} | ${p.threads} | ${p.seconds_median.toFixed(3)} | ${mb(p.bytes_written)} | ${o.peer} | ` +
      `${peerSeconds.toFixed(3)} | ${mb(o.bytes_out)} | ${(peerSeconds / p.seconds_median).toFixed(2)}x | ` +
      `${(p.bytes_written / o.bytes_out).toFixed(2)} |`);
  }
}

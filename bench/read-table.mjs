// Markdown table of read-bench.sh output: each peer's time and parkett's speed-up over it.
// Usage: node read-table.mjs BENCH.jsonl
import fs from 'node:fs';
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l));
console.log('| file | threads | parkett s | peer | peer s | parkett speed-up |\n|---|---|---|---|---|---|');
for (const p of lines.filter(l => l.peer === 'parkett')) {
  for (const o of lines.filter(l => l.peer !== 'parkett' && l.file === p.file && l.op === 'read' && l.threads === p.threads)) {
    console.log(`| ${p.file} | ${p.threads} | ${p.seconds_median.toFixed(3)} | ${o.peer} | ${o.seconds_median.toFixed(3)} | ${(o.seconds_median / p.seconds_median).toFixed(2)}x |`);
  }
}

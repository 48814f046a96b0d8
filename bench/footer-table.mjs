// Turns the JSON lines of footer-bench.sh into a Markdown table with ratios to parkett.
// Usage: node footer-table.mjs BENCH.jsonl
import fs from 'node:fs';
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.startsWith('{'))
  .map(l => JSON.parse(l));
const rows = [];
for (const file of [...new Set(lines.map(l => (l.file ?? '').replace(/\.parquet$/, '')))]) {
  const ours = lines.filter(l => l.file === file && l.mode);
  const full = ours.find(l => l.mode === 'full');
  if (!full) continue;
  for (const l of ours) {
    const what = l.mode === 'full' ? 'parkett, full decode'
      : `parkett, lazy open + 3 ${l.last ? 'last' : 'first'} columns`;
    rows.push([file, what, (l.us_median / 1000).toFixed(3), (full.us_median / l.us_median).toFixed(1) + 'x faster than full']);
  }
  for (const p of lines.filter(l => l.peer && l.file === file + '.parquet')) {
    const ms = p.seconds_median * 1000;
    rows.push([file, `${p.peer} (metadata)`, ms.toFixed(3), 'parkett full is ' + (ms * 1000 / full.us_median).toFixed(1) + 'x faster']);
  }
}
console.log('| file | what | ms (median) | ratio |\n|---|---|---|---|');
for (const r of rows) console.log('| ' + r.join(' | ') + ' |');

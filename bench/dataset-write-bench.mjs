// Partitioned writes beside DuckDB, in one run: lineitem (one Parquet file) written as a
// hive-partitioned dataset by l_shipmode and l_returnflag (21 partitions), at 1 and 2
// threads, with each tool's peak memory (maximum resident set, from /usr/bin/time).
// Usage: node bench/dataset-write-bench.mjs BUILD_DIR PEERS_DIR LINEITEM.parquet [RUNS]
// parkett: parkett convert FILE OUT --partition-by l_shipmode,l_returnflag --threads N
// DuckDB:  SET threads = N; COPY (SELECT * FROM read_parquet(FILE)) TO OUT (FORMAT parquet,
//          PARTITION_BY (l_shipmode, l_returnflag)), timed inside its process (without
//          starting node and DuckDB). Both write snappy-compressed files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [build, peersDir, input, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'parkett-write-bench-'));
const target = path.join(out, 'dataset');

// The DuckDB side, run in its own process so that its peak memory is its own.
const duckScript = path.join(out, 'duckdb-copy.mjs');
fs.writeFileSync(duckScript, `
import path from 'node:path';
import { createRequire } from 'node:module';
const [peers, input, out, threads] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peers), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run('SET threads = ' + threads);
const t = process.hrtime.bigint();
await con.run("COPY (SELECT * FROM read_parquet('" + input + "')) TO '" + out +
              "' (FORMAT parquet, PARTITION_BY (l_shipmode, l_returnflag))");
console.log(Number(process.hrtime.bigint() - t) / 1e9);
`);

const results = [];
for (const threads of [1, 2]) {
  for (const tool of ['parkett', 'duckdb']) {
    const seconds = [];
    let peakKb = 0, files = 0, bytes = 0;
    for (let i = 0; i < runs; i++) {
      fs.rmSync(target, { recursive: true, force: true });
      const [cmd, args] = tool === 'parkett'
        ? [path.join(build, 'parkett'), ['convert', '--no-progress', input, target, '--partition-by',
                                         'l_shipmode,l_returnflag', '--threads', String(threads)]]
        : [process.execPath, [duckScript, peersDir, input, target, String(threads)]];
      const t = process.hrtime.bigint();
      const child = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', cmd, ...args],
                                                            { encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - t) / 1e9;
      if (child.status !== 0) throw new Error(`${tool} failed: ${child.stderr}`);
      seconds.push(tool === 'duckdb' ? Number(child.stdout.trim().split('\n').pop()) : wall);
      peakKb = Math.max(peakKb, Number(/maxrss_kb=(\d+)/.exec(child.stderr)[1]));
      const list = fs.readdirSync(target, { recursive: true }).filter((f) => f.endsWith('.parquet'));
      files = list.length;
      bytes = list.reduce((n, f) => n + fs.statSync(path.join(target, f)).size, 0);
    }
    seconds.sort((a, b) => a - b);
    const r = { tool, threads, seconds: seconds[Math.floor(seconds.length / 2)], peak_mib: Math.round(peakKb / 1024),
                files, mib_written: Math.round(bytes / (1 << 20)) };
    results.push(r);
    console.log(JSON.stringify(r));
  }
}
fs.rmSync(out, { recursive: true, force: true });
for (const threads of [1, 2]) {
  const ours = results.find((r) => r.tool === 'parkett' && r.threads === threads);
  const duck = results.find((r) => r.tool === 'duckdb' && r.threads === threads);
  console.log(`threads ${threads}: parkett ${ours.seconds.toFixed(2)} s (${ours.peak_mib} MiB), DuckDB ` +
              `${duck.seconds.toFixed(2)} s (${duck.peak_mib} MiB): ${(duck.seconds / ours.seconds).toFixed(2)}x`);
}

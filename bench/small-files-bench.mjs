// Planning over many small files, beside DuckDB, in one run: 10,000 hive partitions of 20
// rows (DuckDB-written, `k=0` .. `k=9999`), and the same rows written by parkett with a
// `_metadata` file. Each tool opens the dataset and answers `k = 42` (one file) at 1 and 2
// threads, from a fresh start each time (parkett-bench scan: Dataset::open + scan; DuckDB:
// SELECT count(*) FROM read_parquet('DIR/**/*.parquet', hive_partitioning = true) WHERE
// k = 42, which prunes files by their partition values too).
// Usage: node bench/small-files-bench.mjs BUILD_DIR PEERS_DIR DATA_DIR [RUNS]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [build, peersDir, dataDir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const require = createRequire(path.join(path.resolve(peersDir), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const plain = path.join(dataDir, 'small_10k');
const summarised = path.join(dataDir, 'small_10k_meta');

if (!fs.existsSync(plain)) {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`COPY (SELECT i AS id, i * 0.5 AS x, 'v' || i AS s, i % 10000 AS k FROM range(200000) t(i))
                 TO '${plain}' (FORMAT parquet, PARTITION_BY (k))`);
}
if (!fs.existsSync(summarised)) {
  execFileSync(path.join(build, 'parkett'), ['convert', '--no-progress', plain, summarised, '--partition-by', 'k',
                                             '--metadata-file']);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
const emit = (r) => { results.push(r); console.log(JSON.stringify(r)); };
for (const threads of [1, 2]) {
  for (const [label, dir] of [['no _metadata', plain], ['_metadata', summarised]]) {
    const ours = JSON.parse(execFileSync(path.join(build, 'parkett-bench'),
      ['scan', dir, '--where', 'k = 42', '--threads', String(threads), '--repeat', String(runs)]).toString());
    emit({ tool: 'parkett', dataset: label, threads, seconds: ours.seconds_median, rows: ours.rows_out });
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    await con.run(`SET threads = ${threads}`);
    const sql = `SELECT count(*) FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) WHERE k = 42`;
    const seconds = [];
    let rows;
    for (let i = 0; i <= runs; i++) {
      const t = process.hrtime.bigint();
      rows = Number((await con.runAndReadAll(sql)).getRows()[0][0]);
      if (i > 0) seconds.push(Number(process.hrtime.bigint() - t) / 1e9);  // the first is a warm-up
    }
    emit({ tool: 'duckdb', dataset: label, threads, seconds: median(seconds), rows });
  }
}
for (const threads of [1, 2]) {
  for (const label of ['no _metadata', '_metadata']) {
    const ours = results.find((r) => r.tool === 'parkett' && r.dataset === label && r.threads === threads);
    const duck = results.find((r) => r.tool === 'duckdb' && r.dataset === label && r.threads === threads);
    console.log(`${label}, ${threads} thread(s): parkett ${ours.seconds.toFixed(3)} s, DuckDB ${duck.seconds.toFixed(3)} s: ` +
                `${(duck.seconds / ours.seconds).toFixed(1)}x`);
  }
}

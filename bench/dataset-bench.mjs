// Dataset scans beside DuckDB and polars, in one run: a hive-partitioned directory read
// whole and with a filter, by each tool at 1 and 2 threads. Prints one JSON line per run and
// a table of parkett's speed-up.
// Usage: node bench/dataset-bench.mjs BUILD_DIR PEERS_DIR DIR "WHERE" [RUNS]
// DuckDB: CREATE TEMP TABLE AS SELECT * FROM read_parquet('DIR/**/*.parquet',
// hive_partitioning = true) [WHERE ...] (materialises every column, as parkett does);
// polars: scanParquet('DIR/**/*.parquet', {hivePartitioning: true}).filter(...).collectSync().
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const [build, peersDir, dir, where, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const require = createRequire(path.join(path.resolve(peersDir), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const pl = require('nodejs-polars');
const glob = `${dir}/**/*.parquet`;
const q = (s) => `'${s.replaceAll("'", "''")}'`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
async function timed(fn, after) {
  await fn();  // warm-up
  if (after) await after();
  const seconds = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (after) await after();
  }
  return median(seconds);
}

// The polars predicate for the simple conjunctions this benchmark uses: col = 'text',
// col < number, col IN ('a', 'b'), joined by AND.
function polarsPredicate(text) {
  let pred = null;
  for (const part of text.split(/\s+AND\s+/i)) {
    let m, p;
    if ((m = part.match(/^(\w+)\s*=\s*'([^']*)'$/))) p = pl.col(m[1]).eq(pl.lit(m[2]));
    else if ((m = part.match(/^(\w+)\s*<\s*([\d.]+)$/))) p = pl.col(m[1]).lt(pl.lit(Number(m[2])));
    else if ((m = part.match(/^(\w+)\s*>=\s*([\d.]+)$/))) p = pl.col(m[1]).gtEq(pl.lit(Number(m[2])));
    else throw new Error(`no polars form for '${part}'`);
    pred = pred ? pred.and(p) : p;
  }
  return pred;
}

const results = [];
const emit = (r) => { results.push(r); console.log(JSON.stringify(r)); };
for (const threads of [1, 2]) {
  for (const filter of [null, where]) {
    const op = filter ? 'filter' : 'full';
    const args = ['scan', dir, '--threads', String(threads), '--repeat', String(runs)];
    if (filter) args.push('--where', filter);
    const ours = JSON.parse(execFileSync(path.join(build, 'parkett-bench'), args).toString());
    emit({ tool: 'parkett', op, threads, seconds: ours.seconds_median, rows: ours.rows_out });

    const con = await (await DuckDBInstance.create(':memory:')).connect();
    await con.run(`SET threads = ${threads}`);
    const sql = `SELECT * FROM read_parquet(${q(glob)}, hive_partitioning = true)${filter ? ` WHERE ${filter}` : ''}`;
    const duck = await timed(() => con.run(`CREATE TEMP TABLE t AS ${sql}`), () => con.run('DROP TABLE IF EXISTS t'));
    const duckRows = Number((await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM (${sql})`)).getRowObjects()[0].n);
    emit({ tool: 'duckdb', op, threads, seconds: duck, rows: duckRows });

    process.env.POLARS_MAX_THREADS = String(threads);  // read once, at polars' first use
    let out;
    const polars = await timed(() => {
      let lf = pl.scanParquet(glob, { hivePartitioning: true });
      if (filter) lf = lf.filter(polarsPredicate(filter));
      out = lf.collectSync();
    });
    emit({ tool: 'polars', op, threads, seconds: polars, rows: out.height });
  }
}
console.log('\n| scan | threads | parkett s | DuckDB s | polars s | vs DuckDB | vs polars |\n|---|---|---|---|---|---|---|');
for (const threads of [1, 2]) {
  for (const op of ['full', 'filter']) {
    const get = (tool) => results.find((r) => r.tool === tool && r.op === op && r.threads === threads);
    const [p, d, o] = [get('parkett'), get('duckdb'), get('polars')];
    console.log(`| ${op === 'full' ? 'everything' : where} | ${threads} | ${p.seconds.toFixed(3)} | ${d.seconds.toFixed(3)} | ` +
                `${o.seconds.toFixed(3)} | ${(d.seconds / p.seconds).toFixed(2)}x | ${(o.seconds / p.seconds).toFixed(2)}x |`);
  }
}

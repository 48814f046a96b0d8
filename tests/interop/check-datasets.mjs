// Datasets against DuckDB: DuckDB writes partitioned datasets (COPY ... PARTITION_BY, with
// and without WRITE_PARTITION_COLUMNS, two schemas in one dataset), DuckDB reads each back
// with read_parquet('DIR/**/*.parquet', hive_partitioning = true, union_by_name = true),
// and `parkett cat DIR` must print the same rows (compared as sorted sets of rows, each with
// its columns by name: DuckDB orders partition columns by name, parkett by directory level).
// Where the two infer a partition column's type differently the expected side casts it, and
// says why: DuckDB leaves timestamps and decimals in paths as VARCHAR, parkett infers them as
// Spark does; DuckDB reads `key=NULL` as null, parkett as the text "NULL" (as Spark, Hive and
// pyarrow do: only `__HIVE_DEFAULT_PARTITION__` is null, so the string "NULL" written by any
// of them reads back as itself).
// Datasets laid out by hand from files polars wrote (nodejs-polars has no partitioned write)
// are checked the same way.
// The other way: parkett writes partitioned datasets (`parkett convert FILE DIR
// --partition-by ...` from a file DuckDB wrote) and DuckDB and polars read them back with
// hive partitioning: the rows must be those of the file (every value compared as text, since
// each tool infers partition types its own way).
// Usage: node check-datasets.mjs PARKETT_BIN PEERS_DIR WORK_DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [parkett, peersDir, work] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peersDir), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const pl = require('nodejs-polars');
const { render } = await import(path.join(path.resolve(peersDir), 'dump.mjs'));
const { toJson, Obj } = await import(path.join(path.resolve(peersDir), 'canonical.mjs'));
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run("SET TimeZone = 'UTC'");
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const rowsOf = `(VALUES
  (1, 'a/b', DATE '2024-01-02', 1.5, 10),
  (2, NULL, DATE '2024-01-03', NULL, 20),
  (3, 'x=y %z', NULL, 2.0, 10),
  (4, '', DATE '2024-01-02', 1.5, 30),
  (5, 'ünï cöde', DATE '2024-01-02', 3.0, NULL),
  (6, 'a/b', DATE '2024-01-02', -7.25, 20)) t(id, s, d, f, k)`;

const cases = [
  {
    name: 'escaped_strings_dates_nulls',
    write: (dir) => [`COPY (SELECT * FROM ${rowsOf}) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (s, d))`],
  },
  {
    name: 'partition_columns_inside_the_files',
    write: (dir) => [`COPY (SELECT * FROM ${rowsOf}) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (k), WRITE_PARTITION_COLUMNS true)`],
  },
  {
    name: 'typed_keys',
    write: (dir) => [`COPY (SELECT id, id::BIGINT * 1000000000 AS l, d, TIMESTAMP '2024-01-02 03:04:05' + id * INTERVAL 1 HOUR AS ts
                      FROM ${rowsOf}) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (l, d, ts))`],
    // DuckDB reads `ts=2024-01-02 04:04:05` as VARCHAR; parkett infers a timestamp.
    select: 'SELECT * REPLACE (ts::TIMESTAMP AS ts)',
  },
  {
    // DuckDB writes the key order each COPY names: a dataset with both orders, which DuckDB
    // reads by key name and parkett with --allow-key-order-mismatch. The string 'NULL' is
    // written as `s=NULL`, beside a real null (`__HIVE_DEFAULT_PARTITION__`).
    name: 'keys_in_different_orders_and_null_text',
    write: (dir) => [
      `COPY (SELECT id, s, k FROM ${rowsOf} WHERE id <= 3) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (s, k))`,
      `COPY (SELECT id, s, k FROM ${rowsOf} WHERE id > 3) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (k, s), APPEND)`,
      `COPY (SELECT 7 AS id, 'NULL' AS s, 10 AS k) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (s, k), APPEND)`,
    ],
    readOptions: ', filename = true',
    select: `SELECT * EXCLUDE (filename) REPLACE (CASE WHEN filename LIKE '%/s=NULL/%' THEN 'NULL' ELSE s END AS s)`,
    flags: ['--allow-key-order-mismatch'],
  },
  {
    // polars' own files (its encodings, large string and list types) in a hive layout, with
    // columns that differ between partitions.
    name: 'files_written_by_polars',
    make: (dir) => {
      const put = (sub, df) => {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
        df.writeParquet(path.join(dir, sub, 'part-0.parquet'));
      };
      put('region=eu/day=2024-01-02', pl.DataFrame({ id: [1, 2, 3], name: ['a', null, 'c'], tags: [[1, 2], [], null] }));
      put('region=eu/day=2024-01-03', pl.DataFrame({ id: [4], name: ['d'], tags: [[5]], score: [0.5] }));
      put('region=us%2Fwest/day=2024-01-02', pl.DataFrame({ id: [5, 6], score: [1.25, null], name: ['e', 'f'] }));
    },
  },
  {
    name: 'schemas_that_evolve',
    write: (dir) => [
      `COPY (SELECT id::INTEGER AS id, s, 'old' AS part FROM ${rowsOf}) TO ${q(dir)} (FORMAT parquet, PARTITION_BY (part))`,
      `COPY (SELECT id::BIGINT * 100 AS id, f::DOUBLE AS f, 'new' AS part FROM ${rowsOf}) TO ${q(dir)}
        (FORMAT parquet, PARTITION_BY (part), APPEND)`,
    ],
  },
];

// A row as JSON text with its columns sorted by name: canonical values parsed and printed
// again, the same way for both sides.
const normal = (entries) =>
  JSON.stringify(Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))));

let passed = 0, failed = 0;
for (const c of cases) {
  const dir = path.join(work, c.name);
  if (c.make) c.make(dir);
  else for (const sql of c.write(dir)) await con.run(sql);
  const select = c.select ?? 'SELECT *';
  const r = await con.runAndReadAll(`${select} FROM read_parquet(${q(dir + '/**/*.parquet')}, hive_partitioning = true, ` +
                                    `union_by_name = true${c.readOptions ?? ''})`);
  const names = r.columnNames(), types = r.columnTypes();
  const expected = r.getRows().map((row) =>
    normal(names.map((n, i) => [n, JSON.parse(toJson(new Obj([['v', render(types[i], row[i])]]))).v])));
  let got;
  try {
    const out = execFileSync(parkett, ['cat', ...(c.flags ?? []), dir], { maxBuffer: 1 << 30 }).toString();
    got = out.split('\n').slice(1).filter((l) => l.length > 0).map((l) => normal(Object.entries(JSON.parse(l))));
  } catch (e) {
    console.log(`FAIL ${c.name}: parkett failed: ${String(e.stderr).slice(0, 300)}`);
    failed++;
    continue;
  }
  expected.sort();
  got.sort();
  const first = expected.findIndex((e, i) => e !== got[i]);
  if (expected.length === got.length && first < 0) {
    passed++;
  } else {
    console.log(`FAIL ${c.name}: ${expected.length} rows from DuckDB, ${got.length} from parkett; first difference:\n` +
                `  DuckDB:  ${expected[first]}\n  parkett: ${got[first]}`);
    failed++;
  }
}
// parkett writes, DuckDB and polars read.
const writes = [
  { name: 'escaped_strings_and_dates', by: 's,d' },
  { name: 'integers_and_doubles', by: 'k,f', extra: ['--max-rows-per-file', '1'] },
  { name: 'timestamps', by: 'ts' },
];
const asText = (names) => names.map((n) => `CAST(${n} AS VARCHAR) AS ${n}`).join(', ');
const source = path.join(work, 'written_source.parquet');
await con.run(`COPY (SELECT * REPLACE (f::DOUBLE AS f), TIMESTAMP '2024-01-02 03:04:05' + id * INTERVAL 90 MINUTE AS ts FROM ${rowsOf})
               TO ${q(source)} (FORMAT parquet)`);
const columns = ['id', 's', 'd', 'f', 'k', 'ts'];
const textRows = async (from) =>
  (await con.runAndReadAll(`SELECT ${asText(columns)} FROM ${from}`)).getRowObjectsJson().map((r) => normal(Object.entries(r))).sort();
const want = await textRows(`read_parquet(${q(source)})`);
for (const w of writes) {
  const dir = path.join(work, 'written_' + w.name);
  try {
    execFileSync(parkett, ['convert', '--no-progress', source, dir, '--partition-by', w.by, ...(w.extra ?? [])]);
  } catch (e) {
    console.log(`FAIL ${w.name}: parkett convert failed: ${String(e.stderr).slice(0, 300)}`);
    failed++;
    continue;
  }
  const readers = {
    duckdb: async () => textRows(`read_parquet(${q(dir + '/**/*.parquet')}, hive_partitioning = true, union_by_name = true)`),
    polars: async () => {
      // polars reads the dataset and writes it to one file, which DuckDB renders.
      const copy = path.join(work, `polars_${w.name}.parquet`);
      pl.scanParquet(dir + '/**/*.parquet', { hivePartitioning: true }).collectSync().writeParquet(copy);
      return textRows(`read_parquet(${q(copy)})`);
    },
  };
  for (const [tool, read] of Object.entries(readers)) {
    let got;
    try {
      got = await read();
    } catch (e) {
      console.log(`FAIL ${w.name}: ${tool} could not read parkett's dataset: ${String(e).slice(0, 300)}`);
      failed++;
      continue;
    }
    const first = want.findIndex((e, i) => e !== got[i]);
    if (want.length === got.length && first < 0) {
      passed++;
    } else {
      console.log(`FAIL ${w.name} (read by ${tool}): ${want.length} rows written, ${got.length} read; first difference:\n` +
                  `  written: ${want[first]}\n  read:    ${got[first]}`);
      failed++;
    }
  }
}

console.log(`interop (datasets): ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

// Writes the interop test files with the peers (shared/peers): DuckDB, polars and
// parquet-wasm (arrow-rs), over every type, nesting, codec, page version and encoding they
// offer, with nulls and several row groups.
// Usage: node gen-files.mjs PEERS_DIR OUT_DIR   (prints one line per file written)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [peersDir, out] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peersDir), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
fs.mkdirSync(out, { recursive: true });
const con = await (await DuckDBInstance.create(':memory:')).connect();
const written = [];
const q = (s) => `'${s.replaceAll("'", "''")}'`;

// Every column type DuckDB writes, with nulls in each (every 7th row) and nesting.
const columns = (withMap) => `
  i % 7 = 3 AS b,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 200 - 100)::TINYINT END AS i8,
  (i * 37 % 60000 - 30000)::SMALLINT AS i16,
  CASE WHEN i % 7 = 1 THEN NULL ELSE (i * 7919)::INTEGER END AS i32,
  (i::BIGINT * 1000000007 - 5000000000000) AS i64,
  (i % 250)::UTINYINT AS u8, (i * 13 % 65000)::USMALLINT AS u16,
  (i::BIGINT * 100003 % 4000000000)::UINTEGER AS u32, (i::UBIGINT * 184467440737095)::UBIGINT AS u64,
  CASE WHEN i % 7 = 2 THEN NULL ELSE (i / 8.0)::FLOAT END AS f32,
  CASE WHEN i % 11 = 0 THEN 'NaN'::DOUBLE WHEN i % 7 = 2 THEN NULL ELSE i * 1.5 - 77.25 END AS f64,
  ((i % 79) * 1.25)::DECIMAL(4,2) AS dec4, (i * 123.456789)::DECIMAL(18,6) AS dec18,
  (i * 98765432109.123)::DECIMAL(38,10) AS dec38,
  CASE WHEN i % 7 = 4 THEN NULL ELSE 'str_' || (i % 97)::VARCHAR || repeat('x', i % 13) END AS s,
  ('\\x' || lpad(to_hex(i % 256), 2, '0'))::BLOB AS bin,
  DATE '1969-12-25' + INTERVAL (i * 3) DAY AS d,
  TIME '00:00:01' + INTERVAL (i * 61) SECOND AS t,
  TIMESTAMP '1965-01-01 12:00:00' + INTERVAL (i * 86401) SECOND AS ts,
  TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i * 3601) SECOND AS tstz,
  (TIMESTAMP '2024-05-05 05:05:05' + INTERVAL (i) MICROSECOND)::TIMESTAMP_NS AS tsns,
  ('00000000-0000-4000-8000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS id,
  CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN [] ELSE [i, NULL, i + 1] END AS li,
  CASE WHEN i % 6 = 0 THEN NULL ELSE ['a' || i::VARCHAR, NULL] END AS ls,
  CASE WHEN i % 9 = 0 THEN NULL ELSE {'x': i, 'y': CASE WHEN i % 2 = 0 THEN NULL ELSE 'y' || i::VARCHAR END} END AS st,
  [[i, i], [], NULL] AS lli,
  [{'k': i, 'v': [i::VARCHAR]}] AS lst
  ${withMap ? ", CASE WHEN i % 4 = 0 THEN NULL ELSE MAP {'k' || i::VARCHAR: i, 'z': NULL} END AS m" : ''}`;

await con.run(`CREATE TABLE t AS SELECT ${columns(true)} FROM range(3000) r(i)`);
await con.run(`CREATE TABLE t_nomap AS SELECT ${columns(false)} FROM range(3000) r(i)`);

async function duck(name, options) {
  const file = path.join(out, name);
  await con.run(`COPY t TO ${q(file)} (FORMAT parquet, ${options})`);
  written.push(file);
}
for (const c of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw']) {
  await duck(`duckdb_${c}.parquet`, `COMPRESSION ${c}, ROW_GROUP_SIZE 1024`);
}
await duck('duckdb_v2.parquet', 'COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048');
await duck('duckdb_v2_snappy.parquet', 'COMPRESSION snappy, PARQUET_VERSION v2');
await duck('duckdb_nodict.parquet', 'COMPRESSION snappy, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1');

// polars: read DuckDB's file (without the map, which nodejs-polars cannot read) and write it
// with each of its codecs.
const pl = require('nodejs-polars');
const base = path.join(out, 'base_nomap.parquet');
await con.run(`COPY t_nomap TO ${q(base)} (FORMAT parquet)`);
const df = pl.readParquet(base);
for (const c of ['uncompressed', 'snappy', 'gzip', 'lz4', 'zstd', 'brotli']) {
  const file = path.join(out, `polars_${c}.parquet`);
  df.writeParquet(file, { compression: c });
  written.push(file);
}
fs.rmSync(base);

// parquet-wasm (arrow-rs): the same table with its codecs, v2 pages, no dictionary.
const pw = require('parquet-wasm/node');
const src = path.join(out, 'base.parquet');
await con.run(`COPY t TO ${q(src)} (FORMAT parquet)`);
const bytes = new Uint8Array(fs.readFileSync(src));
const variants = [
  ['UNCOMPRESSED', {}], ['SNAPPY', {}], ['GZIP', {}], ['BROTLI', {}], ['LZ4_RAW', {}], ['ZSTD', {}],
  ['ZSTD', { v2: true }], ['SNAPPY', { nodict: true }],
];
for (const [codec, o] of variants) {
  let props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression[codec]).setMaxRowGroupSize(1000);
  if (o.v2) props = props.setWriterVersion(pw.WriterVersion.V2);
  if (o.nodict) props = props.setDictionaryEnabled(false);
  const name = `wasm_${codec.toLowerCase()}${o.v2 ? '_v2' : ''}${o.nodict ? '_nodict' : ''}.parquet`;
  const file = path.join(out, name);
  fs.writeFileSync(file, pw.writeParquet(pw.readParquet(bytes), props.build()));
  written.push(file);
}
fs.rmSync(src);
for (const f of written) console.log(f);

// Interop of Deephaven data indexes (convert --index-columns): parkett rewrites peer-written
// tables in row groups of 100 rows with an index on each flat column of an orderable,
// non-floating type and on two pairs; DuckDB then reads every index file and the data file.
//  - Each index row's dh_row_set, decoded here from Deephaven's RowSet format (this file's
//    own decoder, not parkett's), holds exactly the file_row_numbers at which DuckDB finds
//    that key in the data file; every key appears once, in DuckDB's ascending order with
//    nulls first (ORDER BY ... NULLS FIRST).
//  - parkett's `cat --where "c = v"` counts DuckDB's rows for keys of the integer and string
//    columns, and its --stats show the index skipping row groups.
// Usage: node check-data-indexes.mjs PARKETT_BIN PEERS_DIR WORK_DIR SOURCE_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [parkett, peersDir, work, sources] = process.argv.slice(2);
const { DuckDBInstance } = await import(path.resolve(peersDir, 'node_modules/@duckdb/node-api/lib/index.js'));
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run("SET TimeZone = 'UTC'");
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;

// Deephaven's RowSet bytes (ExternalizableRowSetUtils): commands of a kind (0x08 one value,
// 0x10 a count then int16 values, 0x18 a count then int8 values, 0x20 the end) and a width
// (4: int8, 1: int16, 2: int32, 3: int64), big-endian; each value the delta from the last
// position, negative for the end of a range begun by the value before.
function decodeRowSet(bytes) {
  let at = 0, last = 0, pending = -1;
  const rows = [];
  const take = (n) => {
    if (at + n > bytes.length) throw new Error('row set ends early');
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[at++]);
    return v;
  };
  const value = (width) => {
    const bits = { 4: 8, 1: 16, 2: 32, 3: 64 }[width];
    if (!bits) throw new Error(`width ${width}`);
    return Number(BigInt.asIntN(bits, take(bits / 8)));
  };
  const entry = (delta) => {
    const position = last + Math.abs(delta);
    if (delta < 0) {
      for (let r = pending; r <= position; r++) rows.push(r);
      pending = -1;
    } else {
      if (pending >= 0) rows.push(pending);
      pending = position;
    }
    last = position;
  };
  for (;;) {
    const command = Number(take(1));
    const kind = command & 0x38, width = command & 0x07;
    if (kind === 0x20) {
      if (pending >= 0) rows.push(pending);
      if (at !== bytes.length) throw new Error('bytes after the end');
      return rows;
    }
    if (kind === 0x08) entry(value(width));
    else if (kind === 0x10 || kind === 0x18) {
      const count = value(width);
      for (let i = 0; i < count; i++) entry(kind === 0x10 ? value(1) : value(4));
    } else throw new Error(`command ${command}`);
  }
}

let failures = 0, checks = 0;
const fail = (msg) => { console.log(`FAIL ${msg}`); failures++; };
fs.mkdirSync(work, { recursive: true });
const indexable = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|VARCHAR|BLOB|DATE|TIME|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_NS|DECIMAL\(\d+,\d+\))$/;
const scanned = /^(TINYINT|SMALLINT|INTEGER|BIGINT|VARCHAR)$/;

for (const source of ['duckdb_snappy.parquet', 'polars_snappy.parquet']) {
  const dir = path.join(work, source.replace('.parquet', ''));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'data.parquet');
  const columns = (await q(`DESCRIBE SELECT * FROM read_parquet(${lit(path.join(sources, source))})`))
    .filter(c => indexable.test(c.column_type));
  const names = columns.map(c => c.column_name);
  const indexes = names.map(n => [n]);
  if (names.includes('i8') && names.includes('s')) indexes.push(['i8', 's']);
  if (names.includes('b') && names.includes('u8')) indexes.push(['b', 'u8']);
  const [{ n: total }] = await q(`SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(path.join(sources, source))})`);
  const numGroups = Math.ceil(total / 100);
  const w = spawnSync(parkett, ['convert', '--no-progress', path.join(sources, source), out, '--row-group-size', '100',
    ...indexes.flatMap(i => ['--index-columns', i.join(',')])], { encoding: 'utf8' });
  if (w.status !== 0) { fail(`${source}: parkett convert: ${w.stderr.trim()}`); continue; }

  for (const index of indexes) {
    const key = index.join(',');
    const file = path.join(dir, '.dh_metadata/indexes', key, `index_${key}_data.parquet`);
    const where = `${source} index (${key})`;
    if (!fs.existsSync(file)) { fail(`${where}: no index file ${file}`); continue; }
    // Keys as text under names of their own (k0, k1): the order is the values'.
    const keyText = index.map((c, i) => `${ident(c)}::VARCHAR AS k${i}`).join(', ');
    const got = await q(`SELECT ${keyText}, hex(dh_row_set) AS rs FROM read_parquet(${lit(file)}, file_row_number = true)
      ORDER BY file_row_number`);
    const expected = await q(`SELECT ${keyText}, rows FROM (SELECT ${index.map(ident).join(', ')},
      list(file_row_number ORDER BY file_row_number) AS rows FROM read_parquet(${lit(out)}, file_row_number = true)
      GROUP BY ALL) ORDER BY ${index.map(c => `${ident(c)} NULLS FIRST`).join(', ')}`);
    checks++;
    if (got.length !== expected.length) {
      fail(`${where}: ${got.length} keys, DuckDB groups the data into ${expected.length}`);
      continue;
    }
    for (let i = 0; i < got.length; i++) {
      const gotKey = index.map((c, k) => got[i][`k${k}`]), expectedKey = index.map((c, k) => expected[i][`k${k}`]);
      if (JSON.stringify(gotKey) !== JSON.stringify(expectedKey)) {
        fail(`${where}: key ${i} is ${JSON.stringify(gotKey)}, DuckDB's order has ${JSON.stringify(expectedKey)}`);
        break;
      }
      let rows;
      try {
        rows = decodeRowSet(Buffer.from(got[i].rs, 'hex'));
      } catch (e) {
        fail(`${where}: key ${JSON.stringify(gotKey)}: ${e.message}`);
        break;
      }
      const want = expected[i].rows.map(Number);
      if (JSON.stringify(rows) !== JSON.stringify(want)) {
        fail(`${where}: key ${JSON.stringify(gotKey)} has rows ${rows.slice(0, 8)}..., DuckDB finds ${want.slice(0, 8)}...`);
        break;
      }
    }
    // parkett's scans through the index: a few keys of one-column indexes.
    const type = columns.find(c => c.column_name === index[0]).column_type;
    if (index.length !== 1 || !scanned.test(type)) continue;
    const keys = expected.filter(e => e.k0 !== null);
    for (const k of [keys[0], keys[keys.length >> 1], keys[keys.length - 1]]) {
      const value = type === 'VARCHAR' ? lit(k.k0) : k.k0;
      const predicate = `${ident(index[0])} = ${value}`;
      const r = spawnSync(parkett, ['cat', out, '--format', 'csv', '--columns', index[0], '--stats', '--where', predicate],
        { encoding: 'utf8' });
      checks++;
      if (r.status !== 0) { fail(`${where}: parkett cat --where ${predicate}: ${r.stderr.trim()}`); continue; }
      const lines = r.stdout.split('\n').filter(l => l.length > 0).length - 1;  // less the header
      if (lines !== k.rows.length) fail(`${where}: parkett finds ${lines} rows where ${predicate}, DuckDB ${k.rows.length}`);
      const skipped = /by data indexes: (\d+)/.exec(r.stderr);
      const groups = new Set(k.rows.map(n => Math.floor(Number(n) / 100))).size;
      if (!skipped || Number(skipped[1]) !== numGroups - groups) {
        fail(`${where}: ${predicate}: the index skipped ${skipped ? skipped[1] : 'no'} row groups, not the ${numGroups - groups} without the key`);
      }
    }
  }
}
console.log(`data indexes: ${checks} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);

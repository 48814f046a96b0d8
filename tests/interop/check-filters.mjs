// Filters against DuckDB: for each file the peers wrote, each predicate that names columns
// the file has is counted by DuckDB (SELECT count(*) ... WHERE) and by `parkett cat --where`
// (rows printed); the counts must agree. Predicates avoid NaN comparisons, where DuckDB
// (NaN above every number, NaN = NaN) and parkett (IEEE 754, as Arrow) differ on purpose.
// Usage: node check-filters.mjs PARKETT_BIN PEERS_DIR FILE...
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const [parkett, peersDir, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peersDir), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const con = await (await DuckDBInstance.create(':memory:')).connect();
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const predicates = [
  'i8 BETWEEN -10 AND 10',
  'i32 > 100000 OR b',
  'NOT (i32 IS NULL) AND i16 < 0',
  'u64 >= 9000000000000000000',
  'u32 < 2000000000',
  'dec4 >= 50.5',
  'dec18 < 1000.5',
  "s LIKE 'str%'",  // no '_': a one-character wildcard in SQL, which parkett refuses
  "s IN ('str_5', 'str_50xxxxx', 'nope')",
  's IS NULL',
  "d < DATE '1970-06-01'",
  "ts >= TIMESTAMP '1966-01-01 00:00:00'",
  "t > TIME '01:00:00'",
  'st.x > 50',
  'f32 <= 20.5',
  'NOT (i8 = 5 OR i8 IS NULL)',
];

let passed = 0, failed = 0;
for (const file of files) {
  for (const where of predicates) {
    let expected;
    try {
      const r = await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM read_parquet(${q(file)}) WHERE ${where}`);
      expected = Number(r.getRowObjects()[0].n);
    } catch {
      continue;  // a column this file does not have
    }
    let got;
    try {
      const out = execFileSync(parkett, ['cat', file, '--format', 'csv', '--where', where], { maxBuffer: 1 << 30 });
      got = out.toString().split('\n').filter((l) => l.length > 0).length - 1;  // less the header
    } catch (e) {
      console.log(`FAIL ${path.basename(file)} WHERE ${where}: parkett failed: ${String(e.stderr).slice(0, 300)}`);
      failed++;
      continue;
    }
    if (got === expected) {
      passed++;
    } else {
      console.log(`FAIL ${path.basename(file)} WHERE ${where}: DuckDB counts ${expected}, parkett ${got}`);
      failed++;
    }
  }
}
console.log(`interop (filters): ${passed} passed, ${failed} failed`);
if (passed === 0) console.log('FAIL: no predicate applied to any file');
process.exit(failed === 0 && passed > 0 ? 0 : 1);

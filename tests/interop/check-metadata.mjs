// Interop of written metadata: parkett rewrites peer-written tables in small row groups with
// bloom filters and distinct counts; DuckDB then reads that metadata and must agree with the data:
//  - parquet_metadata's min/max, null and distinct counts of every flat column chunk equal
//    what DuckDB computes over the rows of that row group;
//  - filters DuckDB pushes down (pruning row groups and pages by our statistics) count the
//    same rows as the same filters evaluated without pushdown;
//  - parquet_bloom_probe never excludes a row group that holds the probed value, and
//    excludes some that do not.
// Usage: node check-metadata.mjs PARKETT_BIN PEERS_DIR WORK_DIR SOURCE_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [parkett, peersDir, work, sources] = process.argv.slice(2);
const { DuckDBInstance } = await import(path.resolve(peersDir, 'node_modules/@duckdb/node-api/lib/index.js'));
const ROWS_PER_GROUP = 100;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run("SET TimeZone = 'UTC'");
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;

// DuckDB's own limits, each seen on files it wrote itself too (so not parkett's doing):
// such differences are counted and reported; a declared limit never seen fails the run.
const known = {
  'float-nan-order': 'DuckDB sorts NaN above every number but prunes by min/max that leave NaN out, as ' +
    'parquet.thrift requires (NaN only in nan_count): c > x misses the NaN rows of pruned row groups',
  'blob-bloom': 'DuckDB\'s pushdown finds no BLOB value in bloom filters (duckdb_snappy.parquet, written by ' +
    'DuckDB, loses rows of bin = x the same way)',
  'decimal-bloom': 'parquet_bloom_probe does not find DECIMAL values in filters that hash the INT32/INT64 ' +
    'physical value, as BloomFilter.md says (DuckDB itself writes no bloom filters for decimals)',
};
const seen = Object.fromEntries(Object.keys(known).map(k => [k, 0]));

fs.mkdirSync(work, { recursive: true });
let failures = 0, checks = 0, excluded = 0;
const fail = (msg) => { console.log(`FAIL ${msg}`); failures++; };
const limit = (key, msg) => { if (seen[key]++ === 0) console.log(`known: ${msg} (${known[key]})`); };

for (const source of ['duckdb_snappy.parquet', 'polars_snappy.parquet']) {
  const out = path.join(work, `metadata-${source}`);
  const w = spawnSync(parkett, ['convert', path.join(sources, source), out, '--row-group-size', String(ROWS_PER_GROUP),
    '--page-size', '400', '--bloom-filter', '0.01', '--distinct-count', 'on'], { encoding: 'utf8' });
  if (w.status !== 0) { fail(`${source}: parkett convert: ${w.stderr.trim()}`); continue; }
  const scan = `read_parquet(${lit(out)}, file_row_number = true)`;
  const meta = await q(`SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count,
    stats_distinct_count, min_is_exact, max_is_exact, bloom_filter_offset FROM parquet_metadata(${lit(out)})`);
  const columns = (await q(`DESCRIBE SELECT * FROM read_parquet(${lit(out)})`))
    .filter(c => !/[[\]]|STRUCT|MAP|UNION|VARIANT/.test(c.column_type));
  for (const { column_name: name, column_type: type } of columns) {
    const c = ident(name);
    const floating = /^(FLOAT|DOUBLE)$/.test(type);
    const ordered = !/INTERVAL/.test(type);
    let perGroup;
    try {
      perGroup = await q(`SELECT file_row_number // ${ROWS_PER_GROUP} AS rg, min(${c})::VARCHAR AS mn, max(${c})::VARCHAR AS mx,
      count(*) - count(${c}) AS nulls, count(DISTINCT ${c}) AS ndv,
      ${floating ? `bool_or(isnan(${c})) OR bool_or(${c} = 0)` : 'false'} AS special
      FROM ${scan} GROUP BY ALL ORDER BY rg`);
    } catch (e) {
      console.log(`skipped: ${source} ${name}: DuckDB cannot aggregate ${type} (${String(e.message).slice(0, 80)})`);
      continue;
    }
    for (const g of perGroup) {
      const m = meta.find(r => Number(r.row_group_id) === Number(g.rg) && r.path_in_schema === name);
      if (!m) { fail(`${source} ${name}: no metadata for row group ${g.rg}`); continue; }
      checks++;
      const where = `${source} column ${name} row group ${g.rg}`;
      if (Number(m.stats_null_count) !== Number(g.nulls)) fail(`${where}: null_count ${m.stats_null_count}, the data has ${g.nulls}`);
      if (!floating && Number(m.stats_distinct_count) !== Number(g.ndv)) fail(`${where}: distinct_count ${m.stats_distinct_count}, the data has ${g.ndv}`);
      // NaN and signed zeros: DuckDB's min/max and the statistics' rules differ there.
      if (!ordered || g.special) continue;
      if (m.min_is_exact !== false && m.stats_min_value !== g.mn) fail(`${where}: min ${m.stats_min_value}, the data has ${g.mn}`);
      if (m.max_is_exact !== false && m.stats_max_value !== g.mx) fail(`${where}: max ${m.stats_max_value}, the data has ${g.mx}`);
    }
    if (!ordered) continue;
    // Probes: each row group's min and max (values present in some row groups only).
    const probes = [...new Set(perGroup.flatMap(g => [g.mn, g.mx]).filter(v => v !== null))].slice(0, 12);
    const [{ nan }] = floating ? await q(`SELECT bool_or(isnan(${c})) AS nan FROM read_parquet(${lit(out)})`) : [{ nan: false }];
    for (const v of probes) {
      const value = `CAST(${lit(v)} AS ${type})`;
      try {
        await q(`SELECT ${value}`);
      } catch (e) {
        console.log(`skipped: ${source} ${name}: DuckDB cannot write a ${type} literal (${String(e.message).slice(0, 80)})`);
        break;
      }
      for (const op of ['=', '<', '>']) {
        let pushed, plain;
        try {
          [pushed] = await q(`SELECT count(*) AS n FROM read_parquet(${lit(out)}) WHERE ${c} ${op} ${value}`);
          [plain] = await q(`SELECT count(*) FILTER (WHERE ${c} ${op} ${value}) AS n FROM read_parquet(${lit(out)})`);
        } catch (e) {
          console.log(`skipped: ${source} ${name} ${op}: DuckDB cannot filter ${type} (${String(e.message).slice(0, 80)})`);
          continue;
        }
        checks++;
        if (pushed.n === plain.n) continue;
        const msg = `${source} ${name} ${op} ${v}: ${pushed.n} rows with pushdown, ${plain.n} without`;
        if (nan && (op !== '=' || v === 'nan')) limit('float-nan-order', msg);
        else if (type === 'BLOB' && op === '=') limit('blob-bloom', msg);
        else fail(msg);
      }
      if (!meta.some(r => r.path_in_schema === name && r.bloom_filter_offset !== null)) continue;
      let probe, holding;
      try {
        probe = await q(`SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe(${lit(out)}, ${lit(name)}, ${value})`);
        holding = await q(`SELECT DISTINCT file_row_number // ${ROWS_PER_GROUP} AS rg FROM ${scan} WHERE ${c} = ${value}`);
      } catch (e) {
        console.log(`skipped: ${source} ${name}: DuckDB cannot probe ${type} (${String(e.message).slice(0, 80)})`);
        break;
      }
      const has = new Set(holding.map(r => Number(r.rg)));
      for (const p of probe) {
        checks++;
        if (!p.bloom_filter_excludes) continue;
        excluded++;
        if (!has.has(Number(p.row_group_id))) continue;
        const msg = `${source} ${name}: parquet_bloom_probe says row group ${p.row_group_id} lacks ${v}, which it holds`;
        if (type.startsWith('DECIMAL')) limit('decimal-bloom', msg);
        else fail(msg);
      }
    }
  }
}
if (excluded === 0) fail('no bloom filter excluded any row group: DuckDB does not use them');
for (const [key, why] of Object.entries(known)) {
  if (seen[key] === 0) fail(`declared DuckDB limit not seen any more, take it off the list: ${why}`);
  else console.log(`known DuckDB limit seen ${seen[key]} times: ${why}`);
}
console.log(`metadata interop: ${checks} checks against DuckDB, ${excluded} row groups excluded by bloom filters, ${failures} failed`);
process.exit(failures ? 1 : 0);

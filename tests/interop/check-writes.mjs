// Interop of written files: parkett rewrites peer-written tables (every type DuckDB writes,
// nested included) with each writer configuration below; DuckDB, hyparquet, polars and
// parquet-wasm (arrow-rs) then read each file, and each reading must equal parkett's own
// reading of it, row by row (shared/peers canonical dumps).
// What a peer cannot read, or renders its own way, is declared below with the reason: such
// a case is reported, and one that starts to work fails the run until the list is updated.
// Usage: node check-writes.mjs PARKETT_BIN PEERS_DIR WORK_DIR SOURCE_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [parkett, peersDir, work, sources] = process.argv.slice(2);
const { runDump, DUMPERS } = await import(path.resolve(peersDir, 'oracles.mjs'));
const { JSONParse, JSONStringify } = await import(path.resolve(peersDir, 'node_modules/json-with-bigint/json-with-bigint.js'));

const configs = {
  default: [],
  'v2-zstd-plain': ['--data-page-version', '2', '--codec', 'zstd:9', '--dictionary', 'off'],
  'gzip-delta-encodings': ['--codec', 'gzip', '--column', 'i32:encoding=delta_binary_packed',
    '--column', 'i64:encoding=delta_binary_packed', '--column', 's:encoding=delta_byte_array',
    '--column', 'ls:encoding=delta_length_byte_array', '--column', 'f64:encoding=byte_stream_split',
    '--column', 'f32:encoding=byte_stream_split'],
  'byte-stream-split-integers': ['--dictionary', 'off', '--column', 'i32:encoding=byte_stream_split',
    '--column', 'dec18:encoding=byte_stream_split', '--column', 'dec38:encoding=byte_stream_split'],
  'brotli-small-pages': ['--codec', 'brotli', '--page-size', '1000', '--row-group-size', '700'],
  'lz4-hadoop': ['--codec', 'lz4_hadoop'],
  'lz4-raw-v2': ['--codec', 'lz4_raw', '--data-page-version', '2'],
  'uncompressed-crc-no-stats': ['--codec', 'uncompressed', '--crc', 'on', '--statistics', 'none', '--page-index', 'off'],
  lzo: ['--codec', 'lzo'],
  alp: ['--column', 'f64:encoding=alp', '--column', 'f32:encoding=alp'],
  'format-1.0-int96': ['--format-version', '1.0', '--int96'],
  'spark-flavor': ['--flavor', 'spark'],
  'spark-legacy-format': ['--spark-legacy-format'],
  'bloom-distinct-v2': ['--bloom-filter', 'on', '--distinct-count', 'on', '--data-page-version', '2'],
  'total-order': ['--total-order', 'on'],
};

// [config or '*', peer, reason]: the peer cannot read such files.
const cannotRead = [
  ['lz4-hadoop', 'duckdb', 'DuckDB reads LZ4_RAW only, not the Hadoop-framed LZ4 codec'],
  ['byte-stream-split-integers', 'duckdb', 'DuckDB reads BYTE_STREAM_SPLIT for FLOAT and DOUBLE only'],
  ['byte-stream-split-integers', 'polars', 'polars cannot decode BYTE_STREAM_SPLIT FIXED_LEN_BYTE_ARRAY pages (decimal(38))'],
  ['lzo', 'duckdb', 'no LZO codec'], ['lzo', 'hyparquet', 'no LZO codec'], ['lzo', 'polars', 'no LZO codec'],
  ['lzo', 'parquet-wasm', 'no LZO codec'],
  ['alp', 'duckdb', 'no ALP encoding yet'], ['alp', 'hyparquet', 'no ALP encoding yet'],
  ['alp', 'polars', 'no ALP encoding yet'], ['alp', 'parquet-wasm', 'no ALP encoding yet'],
  ['total-order', 'polars', 'its Thrift reader fails on the IEEE_754_TOTAL_ORDER column order (parquet-format 2.13)'],
];
// [peer, column, reason, configs (all when absent)]: the peer renders this column its own way.
const rendersOwnWay = [
  ['polars', 'id', 'reads UUID as plain fixed-size binary'],
  ['parquet-wasm', 'id', 'reads UUID as plain fixed-size binary'],
  ...['parquet-wasm', 'polars'].map(p => [p, 'tstz', 'gives INT96 timestamps the time zone of the stored Arrow ' +
    'schema (as arrow-rs does); parkett, pyarrow and DuckDB read INT96 as naive timestamps', ['format-1.0-int96', 'spark-flavor']]),
];
// nodejs-polars 0.24.1 cannot read any MAP column (shared/peers README).
const skipPeer = { 'duckdb_snappy.parquet': ['polars'] };

const lines = (f) => { const t = fs.readFileSync(f, 'utf8'); return t.endsWith('\n') ? t.slice(0, -1).split('\n') : t.split('\n'); };

// Compares a peer's dump with parkett's; columns in `allowed` may differ. -> null or a message
function difference(peerDump, ourDump, allowed) {
  const a = lines(peerDump), b = lines(ourDump);
  const na = JSON.parse(a[0]).columns.map(c => c.name), nb = JSON.parse(b[0]).columns.map(c => c.name);
  if (JSON.stringify(na) !== JSON.stringify(nb)) return `column names ${JSON.stringify(na)} vs ${JSON.stringify(nb)}`;
  if (a.length !== b.length) return `${a.length - 1} rows, parkett ${b.length - 1}`;
  const norm = (s) => s.replace(/(\d\d:\d\d:\d\d\.\d{6})000(Z?")/g, '$1$2');
  for (let i = 1; i < a.length; i++) {
    if (a[i] === b[i] || norm(a[i]) === norm(b[i])) continue;
    const ra = JSONParse(a[i]), rb = JSONParse(b[i]);
    for (const n of na) {
      if (allowed.has(n)) continue;
      const va = norm(JSONStringify(ra[n]) ?? 'undefined'), vb = norm(JSONStringify(rb[n]) ?? 'undefined');
      if (va !== vb) return `row ${i - 1} column ${n}: ${va.slice(0, 80)} vs parkett ${vb.slice(0, 80)}`;
    }
  }
  return null;
}

fs.mkdirSync(work, { recursive: true });
let failures = 0, checks = 0;
for (const source of ['duckdb_snappy.parquet', 'polars_snappy.parquet']) {
  for (const [name, flags] of Object.entries(configs)) {
    const out = path.join(work, `${path.basename(source, '.parquet')}-${name}.parquet`);
    const w = spawnSync(parkett, ['convert', path.join(sources, source), out, ...flags], { encoding: 'utf8' });
    if (w.status !== 0) { console.log(`FAIL ${source} ${name}: parkett convert: ${w.stderr.trim()}`); failures++; continue; }
    const ours = `${out}.parkett.jsonl`;
    const r = spawnSync(parkett, ['cat', out], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) { console.log(`FAIL ${source} ${name}: parkett cat: ${r.stderr.trim()}`); failures++; continue; }
    fs.writeFileSync(ours, r.stdout);
    for (const peer of Object.keys(DUMPERS)) {
      if ((skipPeer[source] ?? []).includes(peer)) continue;
      checks++;
      const dump = `${out}.${peer}.jsonl`;
      const res = runDump(peer, out, dump);
      const declared = cannotRead.find(([c, p]) => (c === name || c === '*') && p === peer);
      if (!res.ok) {
        if (declared) console.log(`known: ${peer} cannot read ${name}: ${declared[2]}`);
        else { console.log(`FAIL ${source} ${name}: ${peer} cannot read it: ${res.err}`); failures++; }
        continue;
      }
      if (declared) { console.log(`FAIL ${source} ${name}: ${peer} now reads it; take it off the cannotRead list`); failures++; }
      const allowed = new Set(rendersOwnWay.filter(([p, , , cs]) => p === peer && (!cs || cs.includes(name))).map(([, c]) => c));
      const diff = difference(dump, ours, allowed);
      if (diff) { console.log(`FAIL ${source} ${name}: ${peer} reads ${diff}`); failures++; }
    }
  }
}
for (const [peer, col, why] of rendersOwnWay) console.log(`not compared: column ${col} in ${peer}: ${why}`);
console.log(`write interop: ${checks} peer readings, ${failures} failed`);
process.exit(failures ? 1 : 0);

// Writes the wide files of the footer benchmark with DuckDB (a peer, shared/peers):
//   wide_1000c_10rg.parquet    1,000 columns x 10 row groups
//   wide_10000c_1rg.parquet   10,000 columns x 1 row group
// Usage: node gen-wide.mjs PEERS_DIR OUT_DIR
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.join(process.argv[2], 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const out = process.argv[3];
const con = await (await DuckDBInstance.create(':memory:')).connect();
async function wide(name, columns, rowGroups) {
  const cols = [];
  for (let c = 0; c < columns; c++) {
    cols.push(c % 2 ? `(hash(i, ${c}) % 1000)::BIGINT AS c${c}` : `(hash(i, ${c}) % 1000) / 10.0::DOUBLE AS c${c}`);
  }
  const rows = 2048 * rowGroups;
  await con.run(`COPY (SELECT ${cols.join(', ')} FROM range(${rows}) t(i))
                 TO '${path.join(out, name)}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
}
await wide('wide_1000c_10rg.parquet', 1000, 10);
await wide('wide_10000c_1rg.parquet', 10000, 1);

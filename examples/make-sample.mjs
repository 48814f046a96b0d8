// Writes examples/sample.parquet with DuckDB (one of the peers, shared/peers): a small
// orders table with strings, decimals, timestamps, a list and a struct.
// Usage: node make-sample.mjs PEERS_DIR   (PEERS_DIR: where shared/peers/setup.sh installed)
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.join(process.argv[2], 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(`
  COPY (
    SELECT i::INTEGER AS order_id,
           ['alice', 'bob', 'carol', NULL][1 + i % 4] AS customer,
           (i * 12.5)::DECIMAL(10, 2) AS amount,
           TIMESTAMP '2026-01-01 08:00:00' + INTERVAL (i * 3600) SECOND AS placed_at,
           CASE WHEN i % 3 = 0 THEN NULL ELSE [i, i + 1] END AS item_ids,
           {'city': ['Ghent', 'Delft', 'Porto'][1 + i % 3], 'zip': (9000 + i)::INTEGER} AS address
    FROM range(20) t(i)
  ) TO '${path.resolve('sample.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);

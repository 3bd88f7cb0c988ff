// Independent Parquet reader for AutoRefiner.Exporter.Tests: reads files with DuckDB (@duckdb/node-api) and prints
// one JSON object on stdout: { "duckdb": version, "schema": [{ "name", "type" }], "rows": [{ column: value, ... }] }.
// Usage: node read-parquet.mjs <path or glob> [<path or glob> ...]
// Values are DuckDB's JSON forms (BIGINT and TIMESTAMP as strings); each row also gets "created_at_epoch_us",
// the created_at instant as microseconds since the Unix epoch, when that column exists. Rows are ordered by id.
import { DuckDBInstance } from '@duckdb/node-api';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write('usage: node read-parquet.mjs <path or glob> [...]\n');
  process.exit(2);
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const source = `read_parquet([${paths.map(quote).join(', ')}])`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
try {
  const version = (await connection.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const schema = described.getRowObjectsJson().map((r) => ({ name: r.column_name, type: r.column_type }));
  const hasCreatedAt = schema.some((c) => c.name === 'created_at');
  const hasId = schema.some((c) => c.name === 'id');
  const extra = hasCreatedAt ? ', epoch_us(created_at) AS created_at_epoch_us' : '';
  const order = hasId ? ' ORDER BY id' : '';
  const result = await connection.runAndReadAll(`SELECT *${extra} FROM ${source}${order}`);
  const rows = result.getRowObjectsJson();
  process.stdout.write(JSON.stringify({ duckdb: version, schema, rows }));
  process.stdout.write('\n');
} catch (error) {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  connection.closeSync();
  instance.closeSync();
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlLiteral, parseBatchOutput, startMysql, type TestMysql } from '../../support/mysql.js';
import { findBinDir } from '../../support/system-server.js';

describe('mysql helpers', () => {
  it('writes literals MySQL reads back', () => {
    expect([null, 3, true, "o'k\\x"].map(mysqlLiteral)).toEqual(['NULL', '3', 'TRUE', "'o''k\\\\x'"]);
  });

  it('parses mariadb --batch output', () => {
    expect(parseBatchOutput('1\tNULL\ta\\tb\n2\tx\tline\\nbreak\n')).toEqual([
      ['1', null, 'a\tb'],
      ['2', 'x', 'line\nbreak'],
    ]);
    expect(parseBatchOutput('')).toEqual([]);
  });
});

// MariaDB is needed only by the MySQL connector's tests and .ci/run does not install it yet: the
// server test runs where mariadb-server is installed (or TRIBUTARY_TEST_MYSQL_URL is set).
const available =
  (process.env.TRIBUTARY_TEST_MYSQL_URL ?? '') !== '' ||
  (findBinDir(['mariadbd'], ['/usr/sbin']) !== undefined &&
    findBinDir(['mariadb-install-db'], ['/usr/bin']) !== undefined);

describe.skipIf(!available)('startMysql (a real MariaDB server)', () => {
  let server: TestMysql;
  beforeAll(async () => {
    server = await startMysql();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a table, loads rows and queries them', async () => {
    expect(server.port).not.toBe(3306);
    await server.loadTable(
      'orders',
      [
        { name: 'id', mysqlType: 'int' },
        { name: 'customer', mysqlType: 'varchar(40)' },
        { name: 'amount', mysqlType: 'decimal(12,2)' },
      ],
      [
        [1, 'alice', '10.50'],
        [2, "o'brien", null],
      ],
    );
    expect(await server.query('SELECT id, customer, amount FROM orders ORDER BY id')).toEqual([
      ['1', 'alice', '10.50'],
      ['2', "o'brien", null],
    ]);
  });
});

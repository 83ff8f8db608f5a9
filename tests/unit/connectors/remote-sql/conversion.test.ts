import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, DOUBLE, decimal, INTEGER, TIMESTAMP, VARCHAR } from '../../../../common/types.js';
import { remoteConfig } from '../../../../connectors/remote-sql/config.js';
import {
  formatTimestamp,
  parseDateText,
  parseTimestampText,
  scaleDecimalText,
} from '../../../../connectors/remote-sql/literals.js';
import { rowsToBatch } from '../../../../connectors/remote-sql/to-arrow.js';

describe('text values', () => {
  it('scales decimal text exactly, rounding half away from zero beyond the scale', () => {
    expect(scaleDecimalText('1234567890.12', 2)).toBe('123456789012');
    expect(scaleDecimalText('-0.05', 2)).toBe('-5');
    expect(scaleDecimalText('3.14159265358979323846', 10)).toBe('31415926536');
    expect(scaleDecimalText('-2.5', 0)).toBe('-3');
    expect(scaleDecimalText('7', 3)).toBe('7000');
    expect(scaleDecimalText('-0.000', 2)).toBe('0');
    expect(scaleDecimalText('NaN', 2)).toBeUndefined();
  });

  it('parses dates and timestamps (with offsets, before 1970, before year 100)', () => {
    expect(parseDateText('1970-01-01')).toBe(0);
    expect(parseDateText('1969-12-31')).toBe(-1);
    expect(parseDateText('0050-01-01')).toBe(-701265);
    expect(parseTimestampText('2024-02-29 12:34:56.123456')).toBe(1709210096123456n);
    expect(parseTimestampText('2024-02-29 12:00:00+02')).toBe(1709200800000000n);
    expect(parseTimestampText('2024-02-29 12:00:00.5-01:30')).toBe(1709213400500000n);
    expect(parseTimestampText('1900-01-01 00:00:00')).toBe(-2208988800000000n);
    // PostgreSQL's infinite timestamps map to Tributary's infinity sentinels (printed 'infinity').
    expect(parseTimestampText('infinity')).toBe(9223372036854775807n);
    expect(parseTimestampText('-infinity')).toBe(-9223372036854775808n);
    expect(parseTimestampText('later')).toBeUndefined();
    expect(formatTimestamp(-1n)).toBe('1969-12-31 23:59:59.999999');
  });
});

describe('rows to Arrow', () => {
  it('builds typed columns with nulls, exact decimals and binary as hex', () => {
    const columns = [
      { name: 'i', type: INTEGER },
      { name: 'b', type: BIGINT },
      { name: 'd', type: decimal(12, 2) },
      { name: 'w', type: decimal(30, 5) },
      { name: 'f', type: DOUBLE },
      { name: 't', type: BOOLEAN },
      { name: 's', type: VARCHAR },
      { name: 'day', type: DATE },
      { name: 'ts', type: TIMESTAMP },
    ];
    const batch = rowsToBatch('c', columns, [
      [
        '1',
        '9007199254740993',
        '1234567890.12',
        '-1234567890123456789012345.12345',
        'NaN',
        't',
        'ü✓',
        '2024-02-29',
        '2024-02-29 10:00:00+00',
      ],
      [null, null, null, null, null, null, null, null, null],
      [-7, 5, '0.1', '1', 1.5, 0, Buffer.from([0, 255]), '0000-00-00', '1970-01-01 00:00:00.000001'],
    ]);
    expect(batch.numRows).toBe(3);
    const get = (c: number, r: number) => batch.getChildAt(c)?.get(r);
    expect(get(0, 0)).toBe(1);
    expect(get(1, 0)).toBe(9007199254740993n);
    expect(batch.getChildAt(2)?.data[0]?.values[0]).toBe(123456789012); // scaled Float64
    expect(get(4, 0)).toBeNaN();
    expect(get(5, 0)).toBe(true);
    expect(get(6, 0)).toBe('ü✓');
    expect(get(7, 0)).toBe(19782 * 86_400_000);
    for (let c = 0; c < columns.length; c++) expect(get(c, 1)).toBeNull();
    expect(batch.getChildAt(2)?.data[0]?.values[2]).toBe(10);
    expect(get(5, 2)).toBe(false);
    expect(get(6, 2)).toBe('\\x00ff');
    expect(get(7, 2)).toBeNull(); // MySQL zero date
    // Long decimal: 128-bit two's complement words.
    const words = batch.getChildAt(3)?.data[0]?.values as Uint32Array;
    let v = 0n;
    for (let w = 3; w >= 0; w--) v = (v << 32n) | BigInt(words[w]!);
    expect(BigInt.asIntN(128, v)).toBe(-123456789012345678901234512345n);
  });

  it('rejects values that do not fit, naming the catalog and column', () => {
    expect(() => rowsToBatch('pgx', [{ name: 'd', type: decimal(3, 1) }], [['123.4']])).toThrow(/'pgx'.*column d/);
    expect(() => rowsToBatch('pgx', [{ name: 'i', type: INTEGER }], [['3000000000']])).toThrow(/'pgx'/);
  });
});

describe('catalog properties', () => {
  const scheme = {
    schemes: ['postgresql', 'postgres'],
    defaultPort: 5432,
    databaseRequired: true,
    dialect: 'postgresql' as const,
  };
  const catalog = (props: Record<string, string>) => ({
    name: 'pg',
    connectorName: 'postgresql',
    properties: props,
    configDir: '/',
  });

  it('reads JDBC and plain URLs', () => {
    const a = remoteConfig(
      catalog({
        'connection-url': 'jdbc:postgresql://db.example:6543/sales',
        'connection-user': 'u',
        'connection-password': 'p',
      }),
      scheme,
    );
    expect(a).toMatchObject({
      host: 'db.example',
      port: 6543,
      database: 'sales',
      user: 'u',
      password: 'p',
      poolSize: 4,
    });
    const b = remoteConfig(
      catalog({ 'connection-url': 'postgres://x:y@h/db', 'connection-pool.max-size': '2' }),
      scheme,
    );
    expect(b).toMatchObject({ host: 'h', port: 5432, user: 'x', password: 'y', poolSize: 2 });
  });

  it('never shows the password in configuration errors', () => {
    expect(() => remoteConfig(catalog({ 'connection-url': 'mysql://u:sekrit@h/db' }), scheme)).toThrow(/'pg'/);
    try {
      remoteConfig(catalog({ 'connection-url': 'jdbc:postgresql://u:sekrit@h' }), scheme);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('sekrit');
      expect((e as { sqlState: string }).sqlState).toBe('F0000');
    }
  });
});

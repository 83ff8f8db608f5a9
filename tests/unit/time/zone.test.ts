import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import {
  fixedZone,
  formatOffset,
  localToUtc,
  namedZone,
  offsetForLocal,
  sessionZone,
  utcToLocal,
  zoneByName,
} from '../../../common/time/zone.js';

const sec = (iso: string): number => Date.parse(iso) / 1000;
/** Local wall time 'YYYY-MM-DDTHH:MM:SS' as seconds since the epoch (read as if UTC). */
const wall = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const us = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;

function sqlState(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof SqlError ? e.sqlState : 'not a SqlError';
  }
  return undefined;
}

describe('IANA zones', () => {
  it('America/New_York switches at 2:00 local time (2024-03-10 and 2024-11-03)', () => {
    const z = sessionZone('America/New_York');
    expect(z.offsetAt(sec('2024-03-10T06:59:59Z'))).toBe(-5 * 3600);
    expect(z.offsetAt(sec('2024-03-10T07:00:00Z'))).toBe(-4 * 3600);
    expect(z.offsetAt(sec('2024-11-03T05:59:59Z'))).toBe(-4 * 3600);
    expect(z.offsetAt(sec('2024-11-03T06:00:00Z'))).toBe(-5 * 3600);
    expect(z.offsetAt(sec('2024-07-01T12:00:00Z'))).toBe(-4 * 3600);
  });

  it('Europe/Berlin switches at 01:00 UTC (2024-03-31 and 2024-10-27)', () => {
    const z = sessionZone('Europe/Berlin');
    expect(z.offsetAt(sec('2024-03-31T00:59:59Z'))).toBe(3600);
    expect(z.offsetAt(sec('2024-03-31T01:00:00Z'))).toBe(7200);
    expect(z.offsetAt(sec('2024-10-27T00:59:59Z'))).toBe(7200);
    expect(z.offsetAt(sec('2024-10-27T01:00:00Z'))).toBe(3600);
    // Local mean time before standard time (PostgreSQL prints +00:53:28).
    expect(z.offsetAt(sec('1800-01-01T00:00:00Z'))).toBe(53 * 60 + 28);
  });

  it('local times in a gap use the offset before it, in an overlap the later instant (PostgreSQL)', () => {
    const ny = sessionZone('America/New_York');
    expect(offsetForLocal(ny, wall('2024-03-10T02:30:00'))).toBe(-5 * 3600);
    expect(localToUtc(us('2024-03-10T02:30:00Z'), ny)).toBe(us('2024-03-10T07:30:00Z'));
    expect(localToUtc(us('2024-11-03T01:30:00Z'), ny)).toBe(us('2024-11-03T06:30:00Z'));
    const berlin = sessionZone('Europe/Berlin');
    expect(localToUtc(us('2024-03-31T02:30:00Z'), berlin)).toBe(us('2024-03-31T01:30:00Z'));
    expect(localToUtc(us('2024-10-27T02:30:00Z'), berlin)).toBe(us('2024-10-27T01:30:00Z'));
    expect(localToUtc(us('2024-10-27T03:00:00Z'), berlin)).toBe(us('2024-10-27T02:00:00Z'));
    expect(localToUtc(us('2024-07-01T12:00:00Z'), berlin)).toBe(us('2024-07-01T10:00:00Z'));
  });

  it('half-hour offsets: Asia/Kolkata, and Australia/Lord_Howe with a 30-minute DST shift', () => {
    expect(sessionZone('Asia/Kolkata').offsetAt(sec('2024-01-01T00:00:00Z'))).toBe(5.5 * 3600);
    const lh = sessionZone('Australia/Lord_Howe');
    expect(lh.offsetAt(sec('2024-01-01T00:00:00Z'))).toBe(11 * 3600);
    expect(lh.offsetAt(sec('2024-07-01T00:00:00Z'))).toBe(10.5 * 3600);
    // DST ends 2024-04-07 02:00 local (+11) = 2024-04-06 15:00 UTC.
    expect(lh.offsetAt(sec('2024-04-06T14:59:59Z'))).toBe(11 * 3600);
    expect(lh.offsetAt(sec('2024-04-06T15:00:00Z'))).toBe(10.5 * 3600);
  });

  it('utcToLocal and localToUtc invert each other outside transitions; infinities pass', () => {
    const z = sessionZone('America/New_York');
    for (const t of ['1950-06-15T12:00:00Z', '2024-01-01T00:00:00.5Z', '2100-07-04T23:59:59Z']) {
      const local = utcToLocal(us(t), z);
      expect(localToUtc(local, z)).toBe(us(t));
    }
    expect(utcToLocal(9223372036854775807n, z)).toBe(9223372036854775807n);
    expect(localToUtc(-9223372036854775808n, z)).toBe(-9223372036854775808n);
  });

  it('names are case-insensitive and shown in their canonical spelling', () => {
    expect(sessionZone('america/new_york').name).toBe('America/New_York');
    expect(sessionZone('utc').name).toBe('UTC');
    expect(sessionZone('Asia/Kolkata').name).toBe('Asia/Kolkata');
    expect(zoneByName('America/New_York').offsetAt(sec('2024-01-01T00:00:00Z'))).toBe(-5 * 3600);
  });
});

describe('fixed offsets', () => {
  it('POSIX names count hours west (UTC+3 is three hours behind); plain numbers hours east', () => {
    expect(sessionZone('UTC+3').offsetAt(0)).toBe(-3 * 3600);
    expect(sessionZone('UTC+3').name).toBe('UTC+3');
    expect(sessionZone('XYZ-5:30').offsetAt(0)).toBe(5.5 * 3600);
    expect(sessionZone('<+05>-05').offsetAt(0)).toBe(5 * 3600);
    expect(sessionZone('+02:00').offsetAt(0)).toBe(-2 * 3600);
    expect(sessionZone('5').offsetAt(0)).toBe(5 * 3600);
    expect(sessionZone('5').name).toBe('<+05>-05');
    expect(sessionZone('-3.5').name).toBe('<-03:30>+03:30');
    expect(fixedZone(0).name).toBe('UTC');
  });

  it('AT TIME ZONE names: abbreviations are fixed, numbers POSIX', () => {
    expect(namedZone('PST').offsetAt(sec('2024-07-01T00:00:00Z'))).toBe(-8 * 3600);
    expect(namedZone('cet').offsetAt(sec('2024-07-01T00:00:00Z'))).toBe(3600);
    expect(namedZone('+02').offsetAt(0)).toBe(-2 * 3600);
    expect(namedZone('-03:30').offsetAt(0)).toBe(3.5 * 3600);
    expect(namedZone('Europe/Berlin').offsetAt(sec('2024-07-01T00:00:00Z'))).toBe(7200);
    // The plan carries an unambiguous name: the abbreviation CET is not the IANA zone CET.
    expect(zoneByName(namedZone('CET').name).offsetAt(sec('2024-07-01T00:00:00Z'))).toBe(3600);
  });

  it('unknown zones are 22023 with PostgreSQL messages', () => {
    expect(sqlState(() => sessionZone('Foo/Bar'))).toBe('22023');
    expect(() => sessionZone('Foo/Bar')).toThrow('invalid value for parameter "TimeZone": "Foo/Bar"');
    expect(() => namedZone('Foo/Bar')).toThrow('time zone "Foo/Bar" not recognized');
    expect(sqlState(() => sessionZone('PST'))).toBe('22023');
  });

  it('offsets print like PostgreSQL', () => {
    expect(formatOffset(0)).toBe('+00');
    expect(formatOffset(-5 * 3600)).toBe('-05');
    expect(formatOffset(5.5 * 3600)).toBe('+05:30');
    expect(formatOffset(53 * 60 + 28)).toBe('+00:53:28');
    expect(formatOffset(-(3 * 3600 + 30 * 60))).toBe('-03:30');
  });
});

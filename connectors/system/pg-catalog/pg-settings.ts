import { PG_SERVER_VERSION, PG_SERVER_VERSION_NUM } from '../../../common/pg-version.js';
import { pgColumns } from './columns.js';
import type { PgCatalogTable } from './table.js';

const COLUMNS = pgColumns(`
  name text, setting text, unit text, category text, short_desc text, extra_desc text,
  context text, vartype text, source text, min_val text, max_val text, enumvals array,
  boot_val text, reset_val text, sourcefile text, sourceline int4, pending_restart bool`);

// [name, setting, vartype, short description]
type Setting = readonly [string, string, 'string' | 'integer' | 'bool', string];

/** The settings clients read (pgjdbc: max_index_keys; others: encodings, versions, DateStyle). */
export const pgSettings: PgCatalogTable = {
  name: 'pg_settings',
  relkind: 'v',
  columns: COLUMNS,
  async rows(ctx) {
    const settings: readonly Setting[] = [
      ['client_encoding', 'UTF8', 'string', "Sets the client's character set encoding."],
      ['DateStyle', 'ISO, MDY', 'string', 'Sets the display format for date and time values.'],
      ['integer_datetimes', 'on', 'bool', 'Shows whether datetimes are integer based.'],
      ['IntervalStyle', 'postgres', 'string', 'Sets the display format for interval values.'],
      ['max_identifier_length', '63', 'integer', 'Shows the maximum identifier length.'],
      ['max_index_keys', '32', 'integer', 'Shows the maximum number of index keys.'],
      [
        'search_path',
        ctx.db.currentSchema ?? '',
        'string',
        'Sets the schema search order for names that are not schema-qualified.',
      ],
      ['server_encoding', 'UTF8', 'string', 'Shows the server (database) character set encoding.'],
      ['server_version', PG_SERVER_VERSION, 'string', 'Shows the server version.'],
      ['server_version_num', PG_SERVER_VERSION_NUM, 'integer', 'Shows the server version as an integer.'],
      ['standard_conforming_strings', 'on', 'bool', "Causes '...' strings to treat backslashes literally."],
      [
        'TimeZone',
        ctx.meta.session.timeZone,
        'string',
        'Sets the time zone for displaying and interpreting time stamps.',
      ],
      ['transaction_isolation', 'read committed', 'string', "Sets the current transaction's isolation level."],
    ];
    return settings.map(([name, setting, vartype, desc]) => [
      name,
      setting,
      null,
      'Tributary',
      desc,
      null,
      'user',
      vartype,
      'default',
      null,
      null,
      null,
      setting,
      setting,
      null,
      null,
      false,
    ]);
  },
};

// The PostgreSQL version Tributary presents to clients (psql and drivers adapt their catalog
// queries to it) and the text of version().
export const PG_SERVER_VERSION = '15.0 (Tributary 0.1.0)';
export const PG_SERVER_VERSION_NUM = '150000';
export const PG_VERSION_TEXT = `PostgreSQL ${PG_SERVER_VERSION}`;

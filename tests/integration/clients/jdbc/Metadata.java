// Calls pgjdbc's DatabaseMetaData against a server and prints what a tool (DBeaver, Metabase)
// would read, one line per result row: "<call>|<col>|<col>...". Run by psql-describe.test.ts as
// `java -cp <pgjdbc jar> Metadata.java <jdbc url> <schema> <table>` (single-file source launch).
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

public class Metadata {
  static void print(String call, ResultSet rs, String... columns) throws SQLException {
    try (rs) {
      while (rs.next()) {
        StringBuilder line = new StringBuilder(call);
        for (String c : columns) line.append('|').append(rs.getString(c));
        System.out.println(line);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String schema = args[1];
    String table = args[2];
    try (Connection c = DriverManager.getConnection(args[0], "tributary", "")) {
      DatabaseMetaData m = c.getMetaData();
      System.out.println("product|" + m.getDatabaseProductName() + "|" + m.getDatabaseMajorVersion());
      print("catalogs", m.getCatalogs(), "TABLE_CAT");
      print("schemas", m.getSchemas(), "TABLE_CATALOG", "TABLE_SCHEM");
      print("tables", m.getTables(null, schema, "%", new String[] {"TABLE", "VIEW"}), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
      print("columns", m.getColumns(null, schema, table, "%"), "COLUMN_NAME", "TYPE_NAME", "DATA_TYPE", "COLUMN_SIZE", "DECIMAL_DIGITS", "IS_NULLABLE", "ORDINAL_POSITION");
      print("primaryKeys", m.getPrimaryKeys(null, schema, table), "COLUMN_NAME");
      print("importedKeys", m.getImportedKeys(null, schema, table), "FKCOLUMN_NAME");
      print("indexInfo", m.getIndexInfo(null, schema, table, false, true), "INDEX_NAME");
      int types = 0;
      try (ResultSet rs = m.getTypeInfo()) {
        while (rs.next()) types++;
      }
      System.out.println("typeInfo|" + types);
      print("functions", m.getFunctions(null, schema, "%"), "FUNCTION_NAME");
    }
  }
}

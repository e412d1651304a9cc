namespace Cms.Core.Storage.Postgres;

/// <summary>
/// The SQLite functions the store's SQL uses that PostgreSQL lacks, defined in PostgreSQL under the same names, so the
/// SQL stays one text. Keep this list short: prefer SQL both engines run (CASE over two-argument MIN/MAX, COALESCE, …).
/// Created (or replaced) at every start, under the writers' lock, before migrations.
/// </summary>
public static class PostgresFunctions
{
    public const string Sql = """
        -- julianday(iso text): days since noon UTC, 24 November 4714 BC, as in SQLite (the store keeps ISO 8601 with offset).
        CREATE OR REPLACE FUNCTION julianday(t TEXT) RETURNS DOUBLE PRECISION LANGUAGE sql STABLE STRICT AS
            $$ SELECT EXTRACT(EPOCH FROM t::timestamptz)::double precision / 86400.0 + 2440587.5 $$;
        -- json_extract(json text, '$.a.b'): numbers only (NULL for any other JSON value), which is what the store reads with it.
        CREATE OR REPLACE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CASE WHEN jsonb_typeof(doc::jsonb #> string_to_array(substr(path, 3), '.')) = 'number'
                           THEN (doc::jsonb #>> string_to_array(substr(path, 3), '.'))::double precision END $$;
        -- json_each(array text): its elements as (key, value), key the index from 0, as SQLite's json_each of an array
        -- (meter_values_all expands meter readings' samples with it). Not STRICT and LANGUAGE sql, so the planner
        -- inlines it into the query, and a filter on the reading still reaches meter_readings' indexes.
        CREATE OR REPLACE FUNCTION json_each(doc TEXT) RETURNS TABLE (key INT, value JSONB) LANGUAGE sql IMMUTABLE AS
            $$ SELECT (e.n - 1)::int, e.v FROM jsonb_array_elements(doc::jsonb) WITH ORDINALITY AS e(v, n) $$;
        """;
}

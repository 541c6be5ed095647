#!/bin/sh
# One database per service, named after it. The postgres image runs this once, on the first start
# with an empty data volume; BAKEOFF_DATABASES (space-separated) comes from docker-compose.yml.
# Existing databases are left alone, so running it again is harmless.
set -eu

for db in ${BAKEOFF_DATABASES:-}; do
    case "$db" in
        *[!a-z0-9_]* | "") echo "create-databases: refusing database name '$db'" >&2; exit 1 ;;
    esac
    echo "create-databases: ensuring database $db"
    psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
        --dbname "${POSTGRES_DB:-postgres}" --set db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SQL
done

// Once per run, before any test file: on PostgreSQL (DATABASE_URL=postgres://…
// npm test), a migrated template database, which each test file then copies
// as its own (CREATE DATABASE … TEMPLATE, tests/setup.ts): migrating once is
// what keeps a fresh database per file cheap. On SQLite, nothing to do.
import type { TestProject } from "vitest/node";
import { engineFor } from "#db/engine";
import { onPostgres, withDatabase } from "../scripts/postgres";

export const templateName = "pledge_test_template";

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (engineFor(url) !== "postgres") return;
  const template = `${templateName}_${process.pid}`;
  await onPostgres(url!, async (client) => {
    await client.query(`drop database if exists ${template}`);
    await client.query(`create database ${template}`);
  });
  const { createPostgresDb, migrateDb, closeDb } = await import("#db/index");
  const db = createPostgresDb(withDatabase(url!, template), { max: 1 });
  await migrateDb(db);
  await closeDb(db);
  project.provide("postgresTemplate", template);
  return async () => {
    await onPostgres(url!, async (client) => {
      // Test files drop their own; a crashed one's is dropped here.
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like $1",
        [`${template}%`],
      );
      for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
    });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

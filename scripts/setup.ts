// Brings the database up to date: migrations, then the sample election from
// data/ when the database is empty, or the campaign settings when it has an
// election but no campaign (see set-up-database.ts). `npm start` and
// `npm run dev` run this.
import { setUpDatabase } from "./set-up-database";

await setUpDatabase();

// Brings the database up to date: migrations, then the sample election from
// data/ when the database is empty. `npm start` and `npm run dev` run this.
import { setUpDatabase } from "./set-up-database";

setUpDatabase();

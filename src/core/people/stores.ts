import { eq } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { stores } from "../../store/schema/index.ts";

/** A store's name as people know it (门店 registered with /store), or undefined for none. */
export function storeName(db: Db, storeId: number | null): string | undefined {
  if (storeId === null) return undefined;
  return db.select({ name: stores.name }).from(stores).where(eq(stores.id, storeId)).get()?.name;
}

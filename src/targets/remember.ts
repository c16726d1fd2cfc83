/**
 * Memoises a lookup a target makes for many requests (a snapshot, a workflow file, a default
 * branch). A failed lookup is forgotten, so the executor's retry asks again instead of getting the
 * same rejection back.
 */
export function remember<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key)
  if (!value) {
    value = make()
    cache.set(key, value)
    value.catch(() => cache.delete(key))
  }
  return value
}

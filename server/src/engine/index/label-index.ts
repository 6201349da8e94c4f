// Label posting lists: items by namespace and by label key -> value, so that a selector query
// starts from the smallest posting list of the selector's exact requirements (`=`, `==`, `In`)
// and only a selector without one scans its namespace. The workspace index keeps pod templates in
// one; the simulator's EndpointSlice controller keeps simulated pods in another.
//
// Invariants: every list keeps insertion order, so a caller that adds items in a sorted order gets
// candidates in that order; `candidates` returns a superset of the matches (the caller still
// evaluates the selector on each, which is where work counters belong). Empty lists and
// namespaces are dropped on removal. Deliberately absent: selector semantics (labels/selector.ts).
import { exactMatchRequirements, type Selector } from '../labels/selector';

type Labels = Readonly<Record<string, string>>;

interface NamespaceItems<T> {
  readonly all: Set<T>;
  /** label key -> label value -> items */
  readonly byLabel: Map<string, Map<string, Set<T>>>;
}

export class LabelIndex<T> {
  private readonly byNamespace = new Map<string, NamespaceItems<T>>();

  add(namespace: string, labels: Labels, item: T): void {
    let ns = this.byNamespace.get(namespace);
    if (!ns) this.byNamespace.set(namespace, (ns = { all: new Set(), byLabel: new Map() }));
    ns.all.add(item);
    for (const [k, v] of Object.entries(labels)) {
      let byValue = ns.byLabel.get(k);
      if (!byValue) ns.byLabel.set(k, (byValue = new Map()));
      let set = byValue.get(v);
      if (!set) byValue.set(v, (set = new Set()));
      set.add(item);
    }
  }

  /** Removes an item added with these labels. */
  remove(namespace: string, labels: Labels, item: T): void {
    const ns = this.byNamespace.get(namespace);
    if (!ns) return;
    ns.all.delete(item);
    for (const [k, v] of Object.entries(labels)) {
      const byValue = ns.byLabel.get(k);
      const set = byValue?.get(v);
      set?.delete(item);
      if (set && set.size === 0) byValue!.delete(v);
      if (byValue && byValue.size === 0) ns.byLabel.delete(k);
    }
    if (ns.all.size === 0) this.byNamespace.delete(namespace);
  }

  /** Every item of a namespace, in insertion order. */
  all(namespace: string): readonly T[] {
    const ns = this.byNamespace.get(namespace);
    return ns ? [...ns.all] : [];
  }

  /** Namespaces holding at least one item. */
  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }

  /**
   * Items of `namespace` the selector may match: none for `nothing`; else the smallest union of
   * posting lists among the selector's exact requirements (a value nobody has gives none), or the
   * whole namespace when there is no exact requirement or none is smaller.
   */
  candidates(namespace: string, selector: Selector): Iterable<T> {
    if (selector.kind === 'nothing') return [];
    const ns = this.byNamespace.get(namespace);
    if (!ns) return [];
    let candidates: Iterable<T> = ns.all;
    let smallest = ns.all.size;
    for (const req of exactMatchRequirements(selector)) {
      const byValue = ns.byLabel.get(req.key);
      let size = 0;
      const lists: Set<T>[] = [];
      for (const v of req.values) {
        const s = byValue?.get(v);
        if (s) {
          size += s.size;
          lists.push(s);
        }
      }
      if (size < smallest) {
        smallest = size;
        candidates = lists.length === 1 ? lists[0] : lists.flatMap((s) => [...s]);
      }
    }
    return candidates;
  }
}

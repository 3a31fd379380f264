/**
 * The outcome map laid out as a treemap, in the explore worker: rectangles
 * for every kind, group and final state as Float32Arrays (x0, y0, x1, y1),
 * so the page only scales and paints them. d3-hierarchy's squarified
 * treemap keeps the children in the order given (violating kinds first,
 * larger groups and states first) and keeps cells near square, which is what
 * makes small states findable by pointer.
 */
import { hierarchy, treemap, type HierarchyRectangularNode } from 'd3-hierarchy';
import type { MapField, MapGroup, MapKind, OutcomeMap } from '../engine';

/** The layout's own coordinate space; the page scales it to the canvas width. */
export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 560;
/** Room above a kind's groups for its label. */
export const KIND_LABEL = 18;

/** What the page needs to draw the map and describe each state, all transferable. */
export interface MapView {
  width: number;
  height: number;
  count: number;
  sizedByExecutions: boolean;
  fields: MapField[];
  kinds: MapKind[];
  groups: MapGroup[];
  /** 4 floats per map position: the state's rectangle. */
  rects: Float32Array;
  /** 4 floats per group, and per kind. */
  groupRects: Float32Array;
  kindRects: Float32Array;
  groupOf: Int32Array;
  sizes: Float64Array;
  masks: Uint8Array;
  values: Uint16Array;
}

interface Node {
  /** A final state's map position (leaves only). */
  p?: number;
  /** The index of the kind (depth 1) or group (depth 2). */
  i?: number;
  children?: Node[];
}

export function layoutMap(map: OutcomeMap, width = MAP_WIDTH, height = MAP_HEIGHT): MapView {
  const root: Node = {
    children: map.kinds.map((k, ki) => ({
      i: ki,
      children: map.groups.slice(k.firstGroup, k.endGroup).map((g, j) => ({
        i: k.firstGroup + j,
        children: Array.from({ length: g.end - g.start }, (_, q) => ({ p: g.start + q })),
      })),
    })),
  };
  const h = hierarchy(root).sum((d) => (d.p === undefined ? 0 : (map.sizes[d.p] as number)));
  const laid = treemap<Node>()
    .size([width, height])
    .paddingInner((n) => (n.depth === 0 ? 4 : n.depth === 1 ? 2 : 0))
    .paddingOuter((n) => (n.depth === 0 ? 0 : n.depth === 1 ? 2 : 0))
    .paddingTop((n) => (n.depth === 1 ? KIND_LABEL : 0))(h);
  const rects = new Float32Array(map.count * 4);
  const groupRects = new Float32Array(map.groups.length * 4);
  const kindRects = new Float32Array(map.kinds.length * 4);
  const put = (a: Float32Array, i: number, n: HierarchyRectangularNode<Node>) => {
    a[i * 4] = n.x0;
    a[i * 4 + 1] = n.y0;
    a[i * 4 + 2] = n.x1;
    a[i * 4 + 3] = n.y1;
  };
  laid.each((n) => {
    if (n.depth === 1) put(kindRects, n.data.i ?? 0, n);
    else if (n.depth === 2) put(groupRects, n.data.i ?? 0, n);
    else if (n.depth === 3) put(rects, n.data.p ?? 0, n);
  });
  return {
    width,
    height,
    count: map.count,
    sizedByExecutions: map.sizedByExecutions,
    fields: map.fields,
    kinds: map.kinds,
    groups: map.groups,
    rects,
    groupRects,
    kindRects,
    groupOf: map.groupOf,
    sizes: map.sizes,
    masks: map.masks,
    values: map.values,
  };
}

/** The view's typed arrays, to transfer (not copy) from the worker. */
export function mapBuffers(v: MapView): ArrayBuffer[] {
  return [v.rects, v.groupRects, v.kindRects, v.groupOf, v.sizes, v.masks, v.values].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

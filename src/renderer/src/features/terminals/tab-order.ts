/** Moves `id` before or after `target` in `order`; returns the same array when nothing changes. */
export function moveTab(order: string[], id: string, target: string, after: boolean): string[] {
  if (id === target || !order.includes(id) || !order.includes(target)) return order;
  const without = order.filter((x) => x !== id);
  const at = without.indexOf(target) + (after ? 1 : 0);
  const next = [...without.slice(0, at), id, ...without.slice(at)];
  return next.every((x, i) => x === order[i]) ? order : next;
}

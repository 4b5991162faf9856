/** A bubbling, composed `CustomEvent` with a typed detail, dispatched on `target`. */
export function dispatch<T>(target: EventTarget, name: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true, cancelable: false }));
}

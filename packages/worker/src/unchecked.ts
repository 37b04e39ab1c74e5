/** A collector answer as it arrives: any field may be missing or of another type until checked. */
export type Unchecked<T> = { [K in keyof T]?: unknown };

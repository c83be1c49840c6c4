import { dayMs } from '../repository-facts.js';

const hourMs = 3_600_000;

/** Durations are shown to two decimals: finer is noise, and a stored value should not carry float dust. */
const twoDecimals = (value: number): number => Math.round(value * 100) / 100;

export const hoursRounded = (milliseconds: number): number => twoDecimals(milliseconds / hourMs);

export const daysRounded = (milliseconds: number): number => twoDecimals(milliseconds / dayMs);

/** Whole days elapsed (floor): 23 hours is 0 days, 24 hours is 1. */
export const wholeDays = (milliseconds: number): number => Math.floor(milliseconds / dayMs);

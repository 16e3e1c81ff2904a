export { argumentOf, rejectionArgument } from './argument-of.ts';

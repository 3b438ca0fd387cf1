export * from './position.ts';
export * from './diagnostic.ts';
export * from './directive.ts';
export * from './slide.ts';
export * from './chapter.ts';
export * from './deck.ts';
export * from './course.ts';
export * from './annotation.ts';

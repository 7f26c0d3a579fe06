import { describe, expect, it } from 'vitest';
import { createConsoleSink } from '../../../main/cli/console-sink';

const harness = () => {
  const writes: string[] = [];
  const queued: Array<() => void> = [];
  const sink = createConsoleSink(
    (text) => writes.push(text),
    (fn) => queued.push(fn),
  );
  const endTurn = () => queued.splice(0).forEach((fn) => fn());
  return { sink, writes, queued, endTurn };
};

describe('createConsoleSink', () => {
  it('writes the lines of one turn together, in order, once the turn ends', () => {
    const { sink, writes, queued, endTurn } = harness();
    sink.add('a\n');
    sink.add('b\n');
    sink.add('c\n');
    expect(writes).toEqual([]);
    expect(queued).toHaveLength(1);
    endTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    sink.add('d\n');
    endTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flush() writes at once (process exit) and a later turn writes nothing twice', () => {
    const { sink, writes, endTurn } = harness();
    sink.add('last words\n');
    sink.flush();
    expect(writes).toEqual(['last words\n']);
    endTurn();
    sink.flush();
    expect(writes).toEqual(['last words\n']);
  });

  it('a large backlog is written without waiting for the turn to end', () => {
    const { sink, writes } = harness();
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) sink.add(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(line.repeat(64));
  });
});

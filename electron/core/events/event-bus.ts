import { EventEmitter } from 'node:events';
import type { EventData, Topic } from '../../../shared/api';

export type BusListener = (topic: Topic, data: unknown) => void;

/**
 * Engine-wide events (server status, deployment changes, host-key prompts). Transports forward every one of them
 * to their clients; modules inside the engine may also listen to a single topic.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<T extends Topic>(topic: T, data: EventData<T>): void {
    this.emitter.emit(topic, data);
    this.emitter.emit('*', topic, data);
  }

  on<T extends Topic>(topic: T, listener: (data: EventData<T>) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  onAny(listener: BusListener): () => void {
    this.emitter.on('*', listener);
    return () => this.emitter.off('*', listener);
  }
}

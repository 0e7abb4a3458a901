import type { z } from 'zod';
import { serversEvents, serversMethods } from './servers';
import { appsEvents, appsMethods } from './apps';
import { autoDeployEvents, autoDeployMethods } from './auto-deploy';
import { buildsEvents, buildsMethods } from './builds';
import { deploymentsEvents, deploymentsMethods } from './deployments';
import { logsEvents, logsMethods } from './logs';
import { previewsEvents, previewsMethods } from './previews';
import { rollbackEvents, rollbackMethods } from './rollback';
import { storeEvents, storeMethods } from './store';
import { uploadsMethods } from './archives';
import { uptimeEvents, uptimeMethods } from './uptime';

/**
 * The whole contract: every method the renderer, the CLI or a test may call, and every event the engine pushes.
 * Adding a capability means adding its schemas to a domain file here; no transport changes.
 */
export const contract = {
  ...serversMethods,
  ...appsMethods,
  ...autoDeployMethods,
  ...buildsMethods,
  ...deploymentsMethods,
  ...logsMethods,
  ...previewsMethods,
  ...rollbackMethods,
  ...storeMethods,
  ...uploadsMethods,
  ...uptimeMethods,
};

export const eventTopics = {
  ...serversEvents,
  ...appsEvents,
  ...autoDeployEvents,
  ...buildsEvents,
  ...deploymentsEvents,
  ...logsEvents,
  ...previewsEvents,
  ...rollbackEvents,
  ...storeEvents,
  ...uptimeEvents,
};

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Output<M extends Method> = z.output<Contract[M]['output']>;

export type Topics = typeof eventTopics;
export type Topic = keyof Topics;
export type EventData<T extends Topic> = z.output<Topics[T]>;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export function isTopic(name: string): name is Topic {
  return Object.prototype.hasOwnProperty.call(eventTopics, name);
}

import type { EventHub } from './event-hub';
import type { Router } from './router';

/** What a transport needs of the engine: the router for requests and the hub for events. */
export interface RpcEndpoint {
  readonly router: Router;
  readonly hub: EventHub;
}

/** The one place that maps a lens name to its parser; a new lens is one more case here. */
import { assertNever } from '../assertNever';
import { GraphqlTransportWsLens } from './graphqlTransportWs';
import { JsonRpcLens } from './jsonRpc';
import type { Lens } from './lens';
import type { LensName } from './lensNames';
import { MqttLens } from './mqtt';
import { StompLens } from './stomp';

/** A fresh lens (with empty pairing state) for one session. */
export function createLens(name: LensName): Lens {
  switch (name) {
    case 'graphql-transport-ws':
      return new GraphqlTransportWsLens();
    case 'stomp':
      return new StompLens();
    case 'mqtt':
      return new MqttLens();
    case 'jsonrpc':
      return new JsonRpcLens();
    default:
      return assertNever(name);
  }
}

// cbor-x's no-eval build has the API of the package itself; its package.json maps no types to it.
declare module 'cbor-x/index-no-eval' {
  export * from 'cbor-x';
}

/**
 * The ceiling: a bare `node:http` server that reads the request body and answers a fixed small
 * JSON body. No engine can answer faster over the same HTTP stack, so every other figure is
 * read as a share of this one. Prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = Buffer.from('{"Item":{"pk":{"S":"item-0"}}}');

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': String(BODY.length) });
    res.end(BODY);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));

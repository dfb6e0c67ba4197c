/**
 * Models to start from: four common single-table designs, each with its entities, sample data
 * generators, access patterns and one pattern that needs a Scan (so the board shows what that
 * looks like and which index would fix it).
 */
import { DATA_MODEL_FORMAT, DATA_MODEL_VERSION, type DataModel, type ModelAttribute, type ModelGenerator, type ModelIndex } from '../../../electron/contract.ts';

const attribute = (name: string, type: ModelAttribute['type'], generator?: ModelGenerator): ModelAttribute => ({ name, type, ...(generator ? { generator } : {}) });
const sequence = (prefix: string): ModelGenerator => ({ kind: 'sequence', prefix, width: 4 });
const gsi = (name: string, partition: string, sort?: string): ModelIndex => ({
  name,
  partitionKey: { name: partition, type: 'S' },
  ...(sort ? { sortKey: { name: sort, type: 'S' } } : {}),
  projection: { type: 'ALL' },
});
const model = (name: string, description: string, tables: DataModel['tables']): DataModel => ({ format: DATA_MODEL_FORMAT, version: DATA_MODEL_VERSION, name, description, tables });
const single = { partitionKey: { name: 'PK', type: 'S' }, sortKey: { name: 'SK', type: 'S' }, billing: { mode: 'PAY_PER_REQUEST' } } as const;

const ECOMMERCE = model('E-commerce orders', 'Customers, their orders by date, orders by status, and a product catalogue.', [
  {
    name: 'Shop',
    ...single,
    globalSecondaryIndexes: [gsi('GSI1', 'GSI1PK', 'GSI1SK')],
    localSecondaryIndexes: [],
    entities: [
      {
        name: 'Customer',
        attributes: [
          attribute('customerId', 'S', sequence('C')),
          attribute('name', 'S', { kind: 'name' }),
          attribute('email', 'S', { kind: 'email' }),
          attribute('createdAt', 'S', { kind: 'date', from: '2023-01-01', to: '2023-12-31' }),
          attribute('orderCount', 'N', { kind: 'number', min: 0, max: 20 }),
        ],
        keyTemplates: { PK: 'CUSTOMER#{customerId}', SK: 'PROFILE' },
        sampleCount: 20,
      },
      {
        name: 'Order',
        attributes: [
          attribute('orderId', 'S', sequence('O')),
          attribute('customerId', 'S', { kind: 'reference', entity: 'Customer', attribute: 'customerId', skew: 1.1 }),
          attribute('orderDate', 'S', { kind: 'date', from: '2024-01-01', to: '2024-12-31', format: 'date' }),
          attribute('status', 'S', { kind: 'enum', values: ['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED'], weights: [2, 2, 5, 1] }),
          attribute('total', 'N', { kind: 'number', min: 5, max: 500, decimals: 2, distribution: 'exponential' }),
        ],
        keyTemplates: { PK: 'CUSTOMER#{customerId}', SK: 'ORDER#{orderDate}#{orderId}', GSI1PK: 'STATUS#{status}', GSI1SK: '{orderDate}#{orderId}' },
        sampleCount: 100,
      },
      {
        name: 'Product',
        attributes: [attribute('productId', 'S', sequence('P')), attribute('title', 'S', { kind: 'sentence' }), attribute('category', 'S', { kind: 'enum', values: ['books', 'garden', 'kitchen', 'toys'] }), attribute('price', 'N', { kind: 'number', min: 1, max: 200, decimals: 2 })],
        keyTemplates: { PK: 'PRODUCT#{productId}', SK: 'PRODUCT' },
        sampleCount: 30,
      },
    ],
    accessPatterns: [
      { name: 'Get a customer', operation: 'GetItem', entity: 'Customer', exampleParameters: { customerId: 'C0001' } },
      {
        name: 'Orders of a customer in a date range',
        operation: 'Query',
        entity: 'Order',
        keyCondition: { partition: 'CUSTOMER#{customerId}', sort: { operator: 'between', value: 'ORDER#{from}', to: 'ORDER#{to}' } },
        exampleParameters: { customerId: 'C0001', from: '2024-01-01', to: '2024-06-30' },
      },
      { name: 'Latest orders by status', operation: 'Query', entity: 'Order', index: 'GSI1', keyCondition: { partition: 'STATUS#{status}' }, scanIndexForward: false, limit: 20, exampleParameters: { status: 'PLACED' } },
      { name: 'Products in a category', operation: 'Scan', entity: 'Product', filter: [{ attribute: 'category', operator: '=', value: '{category}' }], exampleParameters: { category: 'books' } },
      { name: 'Place an order', operation: 'PutItem', entity: 'Order', exampleParameters: { orderId: 'O9999', customerId: 'C0001', orderDate: '2024-12-31', status: 'PLACED', total: '42.50' } },
      { name: 'Change an order status', operation: 'UpdateItem', entity: 'Order', updateAttributes: ['status'], exampleParameters: { customerId: 'C0001', orderDate: '2024-12-31', orderId: 'O9999', status: 'SHIPPED' } },
      { name: 'Set the order count of a customer', operation: 'UpdateItem', entity: 'Customer', updateAttributes: ['orderCount'], exampleParameters: { customerId: 'C0002', orderCount: '7' } },
      {
        name: 'Place an order and count it',
        operation: 'TransactWriteItems',
        transactItems: ['Place an order', 'Set the order count of a customer'],
        exampleParameters: { orderId: 'O9998', customerId: 'C0003', orderDate: '2024-12-30', status: 'PLACED', total: '15', orderCount: '1' },
      },
    ],
  },
]);

const SAAS = model('Multi-tenant SaaS', 'Tenants with their users and projects in one partition each; users found by email across tenants.', [
  {
    name: 'SaaS',
    ...single,
    globalSecondaryIndexes: [gsi('GSI1', 'GSI1PK', 'GSI1SK')],
    localSecondaryIndexes: [],
    entities: [
      {
        name: 'Tenant',
        attributes: [attribute('tenantId', 'S', sequence('T')), attribute('name', 'S', { kind: 'word' }), attribute('plan', 'S', { kind: 'enum', values: ['free', 'team', 'enterprise'], weights: [6, 3, 1] })],
        keyTemplates: { PK: 'TENANT#{tenantId}', SK: 'METADATA' },
        sampleCount: 10,
      },
      {
        name: 'User',
        attributes: [
          attribute('userId', 'S', sequence('U')),
          attribute('tenantId', 'S', { kind: 'reference', entity: 'Tenant', attribute: 'tenantId', skew: 1 }),
          attribute('email', 'S', { kind: 'email' }),
          attribute('role', 'S', { kind: 'enum', values: ['admin', 'member', 'viewer'], weights: [1, 6, 3] }),
        ],
        keyTemplates: { PK: 'TENANT#{tenantId}', SK: 'USER#{userId}', GSI1PK: 'EMAIL#{email}', GSI1SK: 'TENANT#{tenantId}' },
        sampleCount: 60,
      },
      {
        name: 'Project',
        attributes: [
          attribute('projectId', 'S', sequence('PR')),
          attribute('tenantId', 'S', { kind: 'reference', entity: 'Tenant', attribute: 'tenantId', skew: 1 }),
          attribute('name', 'S', { kind: 'sentence' }),
          attribute('status', 'S', { kind: 'enum', values: ['active', 'archived'], weights: [4, 1] }),
          attribute('updatedAt', 'S', { kind: 'date', from: '2024-01-01', to: '2024-12-31' }),
        ],
        keyTemplates: { PK: 'TENANT#{tenantId}', SK: 'PROJECT#{projectId}' },
        sampleCount: 40,
      },
    ],
    accessPatterns: [
      { name: 'Get a tenant', operation: 'GetItem', entity: 'Tenant', exampleParameters: { tenantId: 'T0001' } },
      { name: 'Users of a tenant', operation: 'Query', entity: 'User', keyCondition: { partition: 'TENANT#{tenantId}', sort: { operator: 'begins_with', value: 'USER#' } }, exampleParameters: { tenantId: 'T0001' } },
      { name: 'Active projects of a tenant', operation: 'Query', entity: 'Project', keyCondition: { partition: 'TENANT#{tenantId}', sort: { operator: 'begins_with', value: 'PROJECT#' } }, filter: [{ attribute: 'status', operator: '=', value: 'active' }], exampleParameters: { tenantId: 'T0001' } },
      { name: 'Find a user by email', operation: 'Query', entity: 'User', index: 'GSI1', keyCondition: { partition: 'EMAIL#{email}' } },
      { name: 'Admins across tenants', operation: 'Scan', entity: 'User', filter: [{ attribute: 'role', operator: '=', value: 'admin' }] },
      { name: 'Remove a user', operation: 'DeleteItem', entity: 'User', exampleParameters: { tenantId: 'T0001', userId: 'U9999' } },
    ],
  },
]);

const SOCIAL = model('Social feed', 'Profiles, posts newest first, followers and followees; a few users write most posts.', [
  {
    name: 'Social',
    ...single,
    globalSecondaryIndexes: [gsi('GSI1', 'GSI1PK', 'GSI1SK')],
    localSecondaryIndexes: [],
    stream: 'NEW_IMAGE',
    entities: [
      {
        name: 'User',
        attributes: [attribute('userId', 'S', sequence('U')), attribute('handle', 'S', { kind: 'word' }), attribute('name', 'S', { kind: 'name' })],
        keyTemplates: { PK: 'USER#{userId}', SK: 'PROFILE' },
        sampleCount: 25,
      },
      {
        name: 'Post',
        attributes: [
          attribute('postId', 'S', { kind: 'uuid' }),
          attribute('userId', 'S', { kind: 'reference', entity: 'User', attribute: 'userId', skew: 1.3 }),
          attribute('createdAt', 'S', { kind: 'date', from: '2024-01-01', to: '2024-12-31' }),
          attribute('text', 'S', { kind: 'sentence' }),
          attribute('likes', 'N', { kind: 'number', min: 0, max: 5000, distribution: 'exponential' }),
        ],
        keyTemplates: { PK: 'USER#{userId}', SK: 'POST#{createdAt}#{postId}' },
        sampleCount: 150,
      },
      {
        name: 'Follow',
        attributes: [
          attribute('followeeId', 'S', { kind: 'reference', entity: 'User', attribute: 'userId', skew: 1.2 }),
          attribute('followerId', 'S', { kind: 'reference', entity: 'User', attribute: 'userId' }),
          attribute('since', 'S', { kind: 'date', from: '2023-01-01', to: '2024-12-31' }),
        ],
        keyTemplates: { PK: 'USER#{followeeId}', SK: 'FOLLOWER#{followerId}', GSI1PK: 'USER#{followerId}', GSI1SK: 'FOLLOWS#{followeeId}' },
        sampleCount: 80,
      },
    ],
    accessPatterns: [
      { name: 'Get a profile', operation: 'GetItem', entity: 'User', exampleParameters: { userId: 'U0001' } },
      { name: 'Latest posts of a user', operation: 'Query', entity: 'Post', keyCondition: { partition: 'USER#{userId}', sort: { operator: 'begins_with', value: 'POST#' } }, scanIndexForward: false, limit: 10, exampleParameters: { userId: 'U0001' } },
      { name: 'Followers of a user', operation: 'Query', entity: 'Follow', keyCondition: { partition: 'USER#{followeeId}', sort: { operator: 'begins_with', value: 'FOLLOWER#' } }, exampleParameters: { followeeId: 'U0001' } },
      { name: 'Who a user follows', operation: 'Query', entity: 'Follow', index: 'GSI1', keyCondition: { partition: 'USER#{followerId}', sort: { operator: 'begins_with', value: 'FOLLOWS#' } }, exampleParameters: { followerId: 'U0002' } },
      { name: 'Find a user by handle', operation: 'Scan', entity: 'User', filter: [{ attribute: 'handle', operator: '=', value: '{handle}' }] },
    ],
  },
]);

const IOT = model('IoT time series', 'Devices and their readings by time, hottest readings per device, devices per site; readings expire by TTL.', [
  {
    name: 'Telemetry',
    ...single,
    globalSecondaryIndexes: [gsi('GSI1', 'GSI1PK', 'GSI1SK')],
    localSecondaryIndexes: [{ name: 'ByTemperature', partitionKey: { name: 'PK', type: 'S' }, sortKey: { name: 'temperature', type: 'N' }, projection: { type: 'KEYS_ONLY' } }],
    ttlAttribute: 'expiresAt',
    entities: [
      {
        name: 'Device',
        attributes: [attribute('deviceId', 'S', sequence('D')), attribute('model', 'S', { kind: 'enum', values: ['TH-100', 'TH-200'] }), attribute('site', 'S', { kind: 'enum', values: ['berlin', 'lyon', 'porto'] })],
        keyTemplates: { PK: 'DEVICE#{deviceId}', SK: 'META', GSI1PK: 'SITE#{site}', GSI1SK: 'DEVICE#{deviceId}' },
        sampleCount: 12,
      },
      {
        name: 'Reading',
        attributes: [
          attribute('deviceId', 'S', { kind: 'reference', entity: 'Device', attribute: 'deviceId', skew: 0.8 }),
          attribute('ts', 'S', { kind: 'date', from: '2024-06-01', to: '2024-06-30' }),
          attribute('temperature', 'N', { kind: 'number', min: -10, max: 45, distribution: 'normal', decimals: 1 }),
          attribute('humidity', 'N', { kind: 'number', min: 10, max: 90, decimals: 0 }),
          attribute('expiresAt', 'N', { kind: 'date', from: '2031-01-01', to: '2031-12-31', format: 'epochSeconds' }),
        ],
        keyTemplates: { PK: 'DEVICE#{deviceId}', SK: 'READING#{ts}' },
        sampleCount: 200,
      },
    ],
    accessPatterns: [
      { name: 'Get a device', operation: 'GetItem', entity: 'Device', exampleParameters: { deviceId: 'D0001' } },
      {
        name: 'Readings of a device in a time range',
        operation: 'Query',
        entity: 'Reading',
        keyCondition: { partition: 'DEVICE#{deviceId}', sort: { operator: 'between', value: 'READING#{from}', to: 'READING#{to}' } },
        exampleParameters: { deviceId: 'D0001', from: '2024-06-01', to: '2024-06-15' },
      },
      { name: 'Latest reading of a device', operation: 'Query', entity: 'Reading', keyCondition: { partition: 'DEVICE#{deviceId}', sort: { operator: 'begins_with', value: 'READING#' } }, scanIndexForward: false, limit: 1, exampleParameters: { deviceId: 'D0001' } },
      { name: 'Hottest readings of a device', operation: 'Query', entity: 'Reading', index: 'ByTemperature', keyCondition: { partition: 'DEVICE#{deviceId}' }, scanIndexForward: false, limit: 5, exampleParameters: { deviceId: 'D0001' } },
      { name: 'Devices at a site', operation: 'Query', entity: 'Device', index: 'GSI1', keyCondition: { partition: 'SITE#{site}' }, exampleParameters: { site: 'lyon' } },
      { name: 'Devices of a model', operation: 'Scan', entity: 'Device', filter: [{ attribute: 'model', operator: '=', value: '{model}' }], exampleParameters: { model: 'TH-200' } },
    ],
  },
]);

export const BUILTIN_MODELS: readonly DataModel[] = [ECOMMERCE, SAAS, SOCIAL, IOT];

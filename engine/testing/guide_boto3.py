"""The dynamodb-guide's boto3 examples, run unchanged against the endpoint in AWS_ENDPOINT_URL.

Prints one line per check; exits non-zero on the first failure.
"""
import sys
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

client = boto3.client('dynamodb')
client.create_table(
    TableName='MyTable',
    AttributeDefinitions=[
        {'AttributeName': 'PK', 'AttributeType': 'S'},
        {'AttributeName': 'SK', 'AttributeType': 'S'},
        {'AttributeName': 'GSI1PK', 'AttributeType': 'S'},
    ],
    KeySchema=[{'AttributeName': 'PK', 'KeyType': 'HASH'}, {'AttributeName': 'SK', 'KeyType': 'RANGE'}],
    GlobalSecondaryIndexes=[{
        'IndexName': 'GSI1',
        'KeySchema': [{'AttributeName': 'GSI1PK', 'KeyType': 'HASH'}],
        'Projection': {'ProjectionType': 'ALL'},
    }],
    BillingMode='PAY_PER_REQUEST',
)
client.get_waiter('table_exists').wait(TableName='MyTable')


def check(label, condition):
    if not condition:
        print('FAIL', label)
        sys.exit(1)
    print('ok', label)


# Initialize
dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table('MyTable')

# PutItem
table.put_item(Item={'PK': 'USER#user001', 'SK': 'PROFILE', 'Name': 'John Doe', 'Email': 'john@example.com', 'Age': 30})

# GetItem
response = table.get_item(Key={'PK': 'USER#user001', 'SK': 'PROFILE'})
item = response.get('Item')
check('get_item', item == {'PK': 'USER#user001', 'SK': 'PROFILE', 'Name': 'John Doe', 'Email': 'john@example.com', 'Age': Decimal(30)})

# GetItem with strongly consistent read
response = table.get_item(Key={'PK': 'USER#user001', 'SK': 'PROFILE'}, ConsistentRead=True)
check('consistent get_item', response['Item']['Name'] == 'John Doe')

# UpdateItem
response = table.update_item(
    Key={'PK': 'USER#user001', 'SK': 'PROFILE'},
    UpdateExpression='SET #n = :name, Age = Age + :inc',
    ExpressionAttributeNames={'#n': 'Name'},
    ExpressionAttributeValues={':name': 'John Smith', ':inc': 1},
    ReturnValues='UPDATED_NEW',
)
check('update_item UPDATED_NEW', response['Attributes'] == {'Name': 'John Smith', 'Age': Decimal(31)})

# Orders for the query examples
for i in range(3):
    table.put_item(Item={'PK': 'USER#user001', 'SK': f'ORDER#{i}', 'Status': 'Active' if i != 1 else 'Done', 'GSI1PK': 'STATUS#Active' if i != 1 else 'STATUS#Done'})

response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001'))
check('query by partition', len(response['Items']) == 4)
response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001') & Key('SK').begins_with('ORDER#'))
check('query begins_with', [i['SK'] for i in response['Items']] == ['ORDER#0', 'ORDER#1', 'ORDER#2'])
response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001'), FilterExpression=Attr('Status').eq('Active'))
check('query with filter', response['Count'] == 2 and response['ScannedCount'] == 4)
response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001'), ProjectionExpression='PK, SK, #n', ExpressionAttributeNames={'#n': 'Name'})
check('query with projection', response['Items'][-1] == {'PK': 'USER#user001', 'SK': 'PROFILE', 'Name': 'John Smith'})
response = table.query(IndexName='GSI1', KeyConditionExpression=Key('GSI1PK').eq('STATUS#Active'))
check('query GSI', len(response['Items']) == 2)

# Query with pagination
response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001'), Limit=1)
items = response['Items']
while 'LastEvaluatedKey' in response:
    response = table.query(KeyConditionExpression=Key('PK').eq('USER#user001'), Limit=1, ExclusiveStartKey=response['LastEvaluatedKey'])
    items.extend(response['Items'])
check('paginated query', len(items) == 4)

# Batch Write
with table.batch_writer() as batch:
    for i in range(100):
        batch.put_item(Item={'PK': f'USER#user{i:03d}', 'SK': 'PROFILE', 'Name': f'User {i}'})

# Batch Get
response = dynamodb.batch_get_item(RequestItems={'MyTable': {'Keys': [
    {'PK': 'USER#user001', 'SK': 'PROFILE'},
    {'PK': 'USER#user002', 'SK': 'PROFILE'},
    {'PK': 'USER#user003', 'SK': 'PROFILE'},
]}})
items = response['Responses']['MyTable']
check('batch_get_item', sorted(i['Name'] for i in items) == ['User 1', 'User 2', 'User 3'])

# TransactWriteItems (the profile needs an OrderCount to add to)
table.update_item(Key={'PK': 'USER#user001', 'SK': 'PROFILE'}, UpdateExpression='SET OrderCount = :zero', ExpressionAttributeValues={':zero': 0})
client.transact_write_items(TransactItems=[
    {'Put': {'TableName': 'MyTable', 'Item': {'PK': {'S': 'ORDER#ord001'}, 'SK': {'S': 'METADATA'}, 'Total': {'N': '99.99'}}}},
    {'Update': {
        'TableName': 'MyTable',
        'Key': {'PK': {'S': 'USER#user001'}, 'SK': {'S': 'PROFILE'}},
        'UpdateExpression': 'SET OrderCount = OrderCount + :inc',
        'ExpressionAttributeValues': {':inc': {'N': '1'}},
    }},
])
response = client.transact_get_items(TransactItems=[
    {'Get': {'TableName': 'MyTable', 'Key': {'PK': {'S': 'USER#user001'}, 'SK': {'S': 'PROFILE'}}}},
    {'Get': {'TableName': 'MyTable', 'Key': {'PK': {'S': 'ORDER#ord001'}, 'SK': {'S': 'METADATA'}}}},
])
check('transactions', response['Responses'][0]['Item']['OrderCount'] == {'N': '1'} and response['Responses'][1]['Item']['Total'] == {'N': '99.99'})

# Conditional Put (only if item doesn't exist)
try:
    table.put_item(Item={'PK': 'USER#user001', 'SK': 'PROFILE', 'Name': 'John'}, ConditionExpression='attribute_not_exists(PK)')
    check('conditional put refused', False)
except ClientError as e:
    check('conditional put refused', e.response['Error']['Code'] == 'ConditionalCheckFailedException')

# Optimistic Locking
try:
    table.update_item(
        Key={'PK': 'USER#user001', 'SK': 'PROFILE'},
        UpdateExpression='SET #n = :name, Version = :newVersion',
        ConditionExpression='Version = :expectedVersion',
        ExpressionAttributeNames={'#n': 'Name'},
        ExpressionAttributeValues={':name': 'John Updated', ':newVersion': 2, ':expectedVersion': 1},
    )
    check('optimistic lock refused', False)
except ClientError as e:
    check('optimistic lock refused', e.response['Error']['Code'] == 'ConditionalCheckFailedException')

# DeleteItem
table.delete_item(Key={'PK': 'USER#user001', 'SK': 'PROFILE'})
check('delete_item', 'Item' not in table.get_item(Key={'PK': 'USER#user001', 'SK': 'PROFILE'}))
print('all guide examples passed')

# test_users.py
def test_reads_a_seeded_user(dynamodb):
    item = dynamodb.Table("local-users").get_item(Key={"id": "u2"})["Item"]
    assert item["name"] == "Grace"

q = f"UPDATE accounts SET balance = {amount} WHERE id = {uid}"

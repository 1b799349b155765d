from lxml import objectify

root = objectify.fromstring("<order><qty>3</qty><price>2.5</price></order>")
print(root.qty * root.price)

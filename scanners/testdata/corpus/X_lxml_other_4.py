import pandas as pd

df = pd.read_xml("books.xml", parser="lxml")
print(df.head())

from urllib.request import urlretrieve

url = input("URL to download: ")
path, headers = urlretrieve(url, "download.bin")
print("saved to", path)

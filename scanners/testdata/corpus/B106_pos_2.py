client.login(user='bob', passwd='pw')
